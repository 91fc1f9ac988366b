import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { describe, it } from "node:test";
import { registerDataset } from "../src/compose/register.ts";
import { loadSummaries, loadTransactions } from "../src/workspace/store.ts";
import { CDNOW_SAMPLE, testApp } from "./helpers.ts";

describe("a just-registered dataset", () => {
  it("loads from the registration's memory exactly as from the stored rows (CDNOW sample, holdout)", async () => {
    const { ws, dir } = await testApp();
    try {
      const info = await registerDataset(
        ws,
        { path: CDNOW_SAMPLE },
        {
          name: "cdnow",
          label: "file cdnow",
          options: {
            timeUnit: "week",
            calibrationEnd: "1997-09-30",
            columns: { customer: "column1", date: "column2", amount: "column4" },
          },
        },
      );
      // first load: the registration's columns and transactions (kept for a minute)
      const fresh = (await ws.load(info.id))!;
      const freshTx = await fresh.transactions();
      // the stored rows, read back
      const stored = await loadSummaries(ws.store, info.id, info.shape);
      const storedTx = await loadTransactions(ws.store, info.id);
      assert.deepEqual(fresh.columns, stored);
      assert.equal(stored.length, 2357);
      assert.ok(stored.holdout !== undefined);
      assert.equal(freshTx.length, storedTx.at.length);
      assert.equal(freshTx.length, 6919);
      for (let i = 0; i < freshTx.length; i++) {
        const t = freshTx[i]!;
        assert.deepEqual(
          [t.customerId, t.at, t.amount, t.cancelled ?? false, t.channel ?? null, t.campaign ?? null],
          [
            storedTx.customerId[i],
            storedTx.at[i],
            storedTx.amount[i],
            storedTx.cancelled[i] === 1,
            storedTx.channel[i],
            storedTx.campaign[i],
          ],
        );
      }
    } finally {
      await ws.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
