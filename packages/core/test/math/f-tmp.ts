import { hyp2f1, lhyp2f1 } from "../../src/math/hyp2f1.ts";

let bad = 0;
let n = 0;
const t0 = performance.now();
let slow = 0;
for (let i = 0; i < 20000; i++) {
  const r = () => (Math.random() < 0.5 ? -1 : 1) * 10 ** (Math.random() * 10 - 5);
  const a = Math.random() < 0.7 ? Math.abs(r()) : r();
  const b = Math.random() < 0.7 ? Math.abs(r()) : r();
  const c = Math.random() < 0.7 ? Math.abs(r()) : r();
  const z = Math.random() < 0.5 ? 1 - 10 ** (-Math.random() * 12) : -(10 ** (Math.random() * 20 - 10));
  const s = performance.now();
  const v = lhyp2f1(a, b, c, z);
  const d = performance.now() - s;
  if (d > 20) {
    slow++;
    if (slow < 5) console.log("slow", d.toFixed(0), a, b, c, z);
  }
  n++;
  if (Number.isNaN(v.log)) {
    bad++;
    if (bad < 10) console.log("NaN", a, b, c, z);
  }
}
console.log("n", n, "NaN", bad, "slow", slow, "ms", (performance.now() - t0).toFixed(0));
