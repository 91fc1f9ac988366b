// PostgreSQL result streaming (engine/postgres.ts streamRows): batches, values, errors, and a session that
// stays usable. Runs when VALUECAST_PG_URL is set (source scripts/pg-start.sh).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PG_BATCH_ROWS } from "../src/engine/postgres.ts";
import { openSource } from "../src/index.ts";

const url = process.env.VALUECAST_PG_URL;

describe("PostgreSQL result streaming", { skip: url ? false : "VALUECAST_PG_URL is not set" }, () => {
  it("hands every row over in batches of PG_BATCH_ROWS, in order, with bound values", async () => {
    const src = await openSource({ url: url!, query: "SELECT 1 AS one" });
    const n = 2 * PG_BATCH_ROWS + 7;
    const sizes: number[] = [];
    let sum = 0;
    let last = 0;
    let inOrder = true;
    await src.stream(
      {
        sql: "SELECT i, CAST(i AS double precision) * $2 AS y, 'c' || i AS id FROM generate_series(1, $1::int) AS i ORDER BY i",
        params: [n, 0.5],
      },
      (b) => {
        sizes.push(b.rowCount);
        for (let r = 0; r < b.rowCount; r++) {
          const i = b.value(0, r) as number;
          if (i !== last + 1) inOrder = false;
          last = i;
          sum += b.value(1, r) as number;
          if (b.value(2, r) !== `c${i}`) inOrder = false;
        }
      },
    );
    await src.close();
    assert.deepEqual(sizes, [PG_BATCH_ROWS, PG_BATCH_ROWS, 7]);
    assert.equal(inOrder, true);
    assert.equal(last, n);
    assert.equal(sum, (0.5 * n * (n + 1)) / 2);
  });

  it("gives no batch for an empty result", async () => {
    const src = await openSource({ url: url!, query: "SELECT 1 AS one" });
    let batches = 0;
    await src.stream({ sql: "SELECT 1 WHERE false", params: [] }, () => batches++);
    await src.close();
    assert.equal(batches, 0);
  });

  it("rejects with the consumer's error or the server's, and the session stays usable and read-only", async () => {
    const src = await openSource({ url: url!, query: "SELECT 1 AS one" });
    await assert.rejects(
      src.stream({ sql: "SELECT generate_series(1, 30000)", params: [] }, () => {
        throw new Error("consumer gave up");
      }),
      /consumer gave up/,
    );
    await assert.rejects(
      src.stream({ sql: "SELECT 1 / (i - 5) FROM generate_series(1, 10) AS i", params: [] }, () => {}),
      /division by zero/,
    );
    let total = 0;
    await src.stream({ sql: "SELECT count(*)::int FROM generate_series(1, 3)", params: [] }, (b) => {
      total += b.value(0, 0) as number;
    });
    assert.equal(total, 3);
    await assert.rejects(
      src.stream({ sql: "CREATE TEMP TABLE valuecast_stream_nope (a int)", params: [] }, () => {}),
      /read-only/,
    );
    await src.close();
  });
});
