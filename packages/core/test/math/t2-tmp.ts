import { hyp2f1 } from "../../src/math/hyp2f1.ts";

const r = 0.2426,
  b = 2.4259,
  a = 0.7929,
  al = 4.4137;
for (let rep = 0; rep < 5; rep++) {
  let s = 0;
  const n = 200000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s += hyp2f1(r, b, a + b - 1, 52 / (al + 52 + (i % 10) * 1e-3));
  const t1 = performance.now();
  for (let i = 0; i < n; i++) s += hyp2f1(1.5, 2.5, 4.0001 + (i % 10) * 1e-4, 0.9);
  const t2 = performance.now();
  for (let i = 0; i < n; i++) {
    const x = i % 50;
    s += hyp2f1(r + x, b + x, a + b + x - 1, 52 / (al + 39 + 52));
  }
  const t3 = performance.now();
  console.log(
    (((t1 - t0) / n) * 1e6).toFixed(0),
    (((t2 - t1) / n) * 1e6).toFixed(0),
    (((t3 - t2) / n) * 1e6).toFixed(0),
    s > 0,
  );
}
