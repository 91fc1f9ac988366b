import { hyp2f1, hyp2f1MinusOneTimesC, hyp2f1SeriesFrom, lhyp2f1 } from "../../src/math/hyp2f1.ts";

console.log(
  lhyp2f1(10000, 10000, 1.5, 0.5),
  lhyp2f1(10000, 10000, 10001, 0.3),
  hyp2f1SeriesFrom(1, 1, 2, 1e-10, 1),
  hyp2f1(1, 1, 2, 0.5),
);
