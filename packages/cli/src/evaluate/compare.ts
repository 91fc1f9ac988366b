import type { HoldoutErrors } from "./backtest.ts";

/** What the comparison needs of each model: in-sample fit and holdout error. */
export interface ModelScore {
  readonly model: string;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly holdout: HoldoutErrors;
}

/** The model named best, the best by each criterion, and why. */
export interface ModelChoice {
  readonly best: string;
  /** Best by each criterion (lower is better for AIC, BIC, MAE, RMSE, |total error|; higher LL). */
  readonly bestBy: Readonly<Record<"logLikelihood" | "aic" | "bic" | "mae" | "rmse" | "totalError", string>>;
  readonly reason: string;
}

function argBest(scores: readonly ModelScore[], value: (s: ModelScore) => number): ModelScore {
  let best = scores[0]!;
  for (const s of scores) if (value(s) < value(best)) best = s;
  return best;
}

/**
 * Names the best model: the lowest per-customer holdout mean absolute error (what a marketer will
 * experience out of sample), with ties broken by BIC, and says why, quoting the other criteria where
 * they disagree.
 * @example chooseModel(scores).best // "pnbd"
 */
export function chooseModel(scores: readonly ModelScore[]): ModelChoice {
  if (scores.length === 0) throw new Error("chooseModel: no models");
  const byMae = [...scores].sort((p, q) => p.holdout.mae - q.holdout.mae || p.bic - q.bic);
  const best = byMae[0]!;
  const bestBy = {
    logLikelihood: argBest(scores, (s) => -s.logLikelihood).model,
    aic: argBest(scores, (s) => s.aic).model,
    bic: argBest(scores, (s) => s.bic).model,
    mae: best.model,
    rmse: argBest(scores, (s) => s.holdout.rmse).model,
    totalError: argBest(scores, (s) => Math.abs(s.holdout.totalError ?? 0)).model,
  };
  const others = byMae
    .slice(1)
    .map((s) => `${s.model} ${s.holdout.mae.toFixed(4)}`)
    .join(", ");
  const parts = [
    `${best.model} has the lowest per-customer holdout MAE (${best.holdout.mae.toFixed(4)}${others ? ` vs ${others}` : ""})`,
  ];
  const agree = (Object.entries(bestBy) as [string, string][]).filter(
    ([k, m]) => k !== "mae" && m === best.model,
  );
  const disagree = (Object.entries(bestBy) as [string, string][]).filter(([, m]) => m !== best.model);
  if (agree.length) parts.push(`it is also best by ${agree.map(([k]) => label(k)).join(", ")}`);
  if (disagree.length) parts.push(disagree.map(([k, m]) => `${label(k)} prefers ${m}`).join(", "));
  return { best: best.model, bestBy, reason: `${parts.join("; ")}.` };
}

function label(key: string): string {
  return (
    {
      logLikelihood: "log-likelihood",
      aic: "AIC",
      bic: "BIC",
      rmse: "holdout RMSE",
      totalError: "total holdout error",
    }[key] ?? key
  );
}
