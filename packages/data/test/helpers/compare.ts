import assert from "node:assert/strict";
import type { SummaryColumns, SummaryReport } from "@valuecast/core";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 + 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Asserts two summary sets are the same customers with the same values (amount sums to 1e-9 relative). */
export function assertSameSummaries(actual: SummaryColumns, expected: SummaryColumns, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: number of customers`);
  assert.equal(actual.calibrationEnd, expected.calibrationEnd, `${label}: calibration end`);
  assert.equal(actual.holdout?.observationEnd, expected.holdout?.observationEnd, `${label}: observation end`);
  const index = new Map(expected.customerId.map((id, i) => [id, i]));
  let mismatches = 0;
  const first: string[] = [];
  for (let i = 0; i < actual.length; i++) {
    const id = actual.customerId[i]!;
    const j = index.get(id);
    assert.ok(j !== undefined, `${label}: customer ${id} only in the engine's output`);
    const exact: [string, number, number][] = [
      ["x", actual.x[i]!, expected.x[j]!],
      ["t_x", actual.t_x[i]!, expected.t_x[j]!],
      ["T", actual.T[i]!, expected.T[j]!],
      ["firstDay", actual.firstDay[i]!, expected.firstDay[j]!],
      ["orders", actual.orders[i]!, expected.orders[j]!],
      ["x_holdout", actual.holdout?.x[i] ?? -1, expected.holdout?.x[j] ?? -1],
    ];
    const approx: [string, number, number][] = [
      ["monetary", actual.monetary[i]!, expected.monetary[j]!],
      ["firstAmount", actual.firstAmount[i]!, expected.firstAmount[j]!],
      ["historicRevenue", actual.historicRevenue[i]!, expected.historicRevenue[j]!],
      ["revenue_holdout", actual.holdout?.revenue[i] ?? 0, expected.holdout?.revenue[j] ?? 0],
    ];
    const bad = [...exact.filter(([, a, b]) => a !== b), ...approx.filter(([, a, b]) => !close(a, b))];
    if ((actual.channel?.[i] ?? null) !== (expected.channel?.[j] ?? null)) bad.push(["channel", 0, 0]);
    if ((actual.campaign?.[i] ?? null) !== (expected.campaign?.[j] ?? null)) bad.push(["campaign", 0, 0]);
    if (bad.length) {
      mismatches++;
      if (first.length < 5) first.push(`${id}: ${bad.map(([k, a, b]) => `${k} ${a} vs ${b}`).join(", ")}`);
    }
  }
  assert.equal(mismatches, 0, `${label}: ${mismatches} customers differ, e.g.\n${first.join("\n")}`);
}

/** Asserts two reports account for the rows in the same way. */
export function assertSameReport(actual: SummaryReport, expected: SummaryReport, label: string): void {
  const { refundsNetted: ra, ...a } = actual;
  const { refundsNetted: rb, ...b } = expected;
  assert.deepEqual(a, b, `${label}: report`);
  assert.ok(close(ra, rb), `${label}: refunds netted ${ra} vs ${rb}`);
  const rejected = Object.values(actual.rejected).reduce((s, v) => s + (v ?? 0), 0);
  assert.equal(actual.rowsUsed + rejected, actual.rowsRead, `${label}: used + rejected = read`);
}
