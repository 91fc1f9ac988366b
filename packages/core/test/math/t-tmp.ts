import stdlib from "@stdlib/math-base-special-hyp2f1";
import { hyp2f1, lhyp2f1 } from "../../src/math/hyp2f1.ts";
import { lgamma } from "../../src/math/special.ts";

for (const z of [0.5, 0.9, 0.99, 0.9999, 1 - 1e-10, -0.5, -10, -1e8]) {
  const want = -Math.log1p(-z) / z;
  const got = hyp2f1(1, 1, 2, z);
  console.log("1,1,2", z, got, want, (got - want) / want, stdlib(1, 1, 2, z));
}
for (const z of [0.3, 0.9, 0.99, 0.9999])
  console.log("asin", z, hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z);
console.log(lhyp2f1(10000, 10000, 10001, 0.3), lhyp2f1(0.24, 2.4, -0.2, 0.9), hyp2f1(0.24, 2.4, -0.2, 0.9));
// timing
function time(name: string, f: () => number, n = 200000) {
  let s = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s += f();
  const t = performance.now() - t0;
  console.log(name, ((t / n) * 1e6).toFixed(0), "ns/call", s > 0 ? "" : s);
}
let i = 0;
time("lgamma", () => lgamma(0.5 + (i++ % 1000) * 0.37), 2000000);
const r = 0.2426,
  al = 4.4137,
  a = 0.7929,
  b = 2.4259;
i = 0;
time("BG/NBD CET x in 0..50 z=52/(al+T+52)", () => {
  const x = i++ % 50;
  return hyp2f1(r + x, b + x, a + b + x - 1, 52 / (al + 39 + 52));
});
i = 0;
time("BG/NBD x=0 z=t/(al+t) t=52", () => hyp2f1(r, b, a + b - 1, 52 / (al + 52 + (i++ % 10) * 1e-3)));
i = 0;
time("pnbd", () => {
  const x = i++ % 50;
  return hyp2f1(0.55 + 0.6 + x, 0.6 + 1, 0.55 + 0.6 + x + 1, (11.67 - 10.58) / (11.67 + 39));
});
i = 0;
time("degenerate a+b-c near int z=0.9", () => hyp2f1(1.5, 2.5, 4.0001 + (i++ % 10) * 1e-4, 0.9), 20000);
i = 0;
time("stdlib BG/NBD CET", () => {
  const x = i++ % 50;
  return stdlib(r + x, b + x, a + b + x - 1, 52 / (al + 39 + 52));
});
