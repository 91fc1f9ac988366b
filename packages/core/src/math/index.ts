// Numerical foundation: special functions, log-space arithmetic, hypergeometric 2F1, quadrature,
// dense small-matrix linear algebra and seeded random numbers.

export * from "./distributions.ts";
export * from "./hyp2f1.ts";
export * from "./linalg.ts";
export * from "./quadrature.ts";
export * from "./random.ts";
export * from "./special.ts";
