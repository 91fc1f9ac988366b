import type { StopReason } from "../optim/bfgs.ts";
import type { TimeUnit } from "../time.ts";

/** The immutable result of `fitModel`: the JSON shape `valuecast fit --json` prints. */
export interface FitResult {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  /** Natural-scale standard errors (delta method); null when the Hessian is not positive definite. */
  readonly standardErrors: Readonly<Record<string, number | null>>;
  /** Natural-scale covariance matrix in `paramNames` order, or null. */
  readonly covariance: readonly (readonly number[])[] | null;
  readonly paramNames: readonly string[];
  readonly converged: boolean;
  readonly reason: StopReason;
  readonly iterations: number;
  readonly evaluations: number;
  /** Max |d(mean log-lik)/d theta| at the optimum, on the optimiser's (transformed) scale. */
  readonly gradientNorm: number;
  /** Customers (sum of weights). */
  readonly n: number;
  /** Rows the likelihood was evaluated on (after compression). */
  readonly rows: number;
  readonly timeUnit: TimeUnit | null;
  readonly aic: number;
  readonly bic: number;
  readonly l2Penalty: number;
  readonly reference: string;
}
