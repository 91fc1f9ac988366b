export { chiSquareUpperTail } from "../../math/distributions.ts";
