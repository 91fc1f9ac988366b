import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run } from "./run.ts";

/** How many times `pattern` (a multiline regex source) matches in `text`. */
function count(text: string, pattern: string): number {
  return (text.match(new RegExp(pattern, "gm")) ?? []).length;
}

describe("valuecast demo prints each block once", () => {
  it("one block per fitted model, Gamma-Gamma once, one backtest, one top-customers table", async () => {
    const r = await run(["demo"]);
    assert.equal(r.code, 0, r.err);
    const blocks: [string, string][] = [
      ["bgnbd fit", "^bgnbd \\(rates per week\\): "],
      ["pnbd fit", "^pnbd \\(rates per week\\): "],
      ["mbgnbd fit", "^mbgnbd \\(rates per week\\): "],
      ["gamma-gamma fit", "^gamma-gamma: [\\d,]+ repeat buyers$"],
      ["gamma-gamma parameter p", "^p\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d{4}$"],
      ["fitted-models heading", "^1\\. Fitted models"],
      ["backtest heading", "^2\\. Holdout backtest$"],
      ["backtest table", "^Backtest: [\\d,]+ customers"],
      ["best model", "^Best model: (bgnbd|pnbd|mbgnbd)\\. "],
      ["prediction heading", "^3\\. Predicted value over the next 12 months"],
      ["top customers", "^Top 10 customers by predicted CLV$"],
      ["next step", "^Next: `valuecast predict"],
    ];
    for (const [what, pattern] of blocks)
      assert.equal(count(r.out, pattern), 1, `${what} (${pattern})\n${r.out}`);
    // The blocks come in the order a new user reads them: fits, then the backtest, then the top customers.
    const order = [
      "^1\\. Fitted models",
      "^gamma-gamma: ",
      "^2\\. Holdout backtest",
      "^Top 10 customers",
    ].map((p) => r.out.search(new RegExp(p, "m")));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    // Ten customer rows under the top table.
    const top = r.out
      .slice(r.out.search(/^Top 10 customers/m))
      .split("\n")
      .slice(3, 13);
    assert.equal(top.filter((l) => /^\S+\s+\d+\s+\d+\.\d{2}\s+\d+\.\d{2}\s+[01]\.\d{3}/.test(l)).length, 10);
  });
});
