import { checkPaired, type NumberVector } from "./validate.ts";

/**
 * Mean absolute error, (1/n) sum |actual_i - predicted_i|.
 * @example mae([1, 2, 3], [2, 2, 5]) // 1
 */
export function mae(actual: NumberVector, predicted: NumberVector): number {
  checkPaired(actual, predicted, "mae");
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return s / actual.length;
}

/**
 * Root mean squared error, sqrt((1/n) sum (actual_i - predicted_i)^2).
 * @example rmse([1, 2, 3], [2, 2, 5]) // Math.sqrt(5 / 3)
 */
export function rmse(actual: NumberVector, predicted: NumberVector): number {
  checkPaired(actual, predicted, "rmse");
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = actual[i]! - predicted[i]!;
    s += d * d;
  }
  return Math.sqrt(s / actual.length);
}
