// Numerical foundation: special functions, log-space arithmetic, hypergeometric 2F1, quadrature,
// dense small-matrix linear algebra and seeded random numbers.
export * from "./special.ts";
