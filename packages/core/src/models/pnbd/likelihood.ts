import { digamma, lgamma } from "../../math/special.ts";
import type { RfmData } from "../types.ts";
import { type PairIndex, pairIndex } from "./pair-index.ts";
import { tailIntegral } from "./tail-integral.ts";

/**
 * Pareto/NBD individual log-likelihood (Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model
 * and Related Expressions", eq. 22; Schmittlein, Morrison & Colombo 1987):
 *
 *   L = Γ(r+x) α^r β^s / Γ(r) · { 1 / [(α+T)^{r+x} (β+T)^s] + s/(r+s+x) · A0 }
 *
 * with A0 (the note's eq. 19-21, two 2F1 branches for α >= β and α < β) written as
 * A0 = (r+s+x) [J(t_x) - J(T)], J the tail integral of tail-integral.ts. So, per customer,
 *
 *   ln L = ln Γ(r+x) - ln Γ(r) + r ln α + s ln β + ln( e^{L1} + e^{L2} ),
 *   L1 = -(r+x) ln(α+T) - s ln(β+T)            ("alive at T")
 *   L2 = ln s + ln J(t_x) + ln(1 - J(T)/J(t_x))  ("died in (t_x, T]")
 *
 * Stability: every piece stays in log space (J underflows for x in the thousands); ln(1 - e^d) with
 * d = ln J(T) - ln J(t_x) <= 0 is taken as log(-expm1(d)) near 0 and log1p(-e^d) below -ln 2 (Maechler
 * 2012) so t_x close to T keeps its digits; t_x = T gives L2 = -Infinity exactly; the two terms are
 * added by log-sum-exp. The gradient is analytic: the J gradients come from tailIntegral, and
 * ∂ln(J(t_x) - J(T)) = ∂ln J(t_x) + ρ (∂ln J(t_x) - ∂ln J(T)) with ρ = e^d / (1 - e^d).
 *
 * `from`/`to` restrict the sum to those rows (for splitting the work across threads). Returns the total
 * weighted log-likelihood; writes the natural-scale gradient d/d(r, alpha, s, beta) into `grad`.
 * Returns -Infinity (gradient zero) for parameters outside (0, ∞).
 * @example pnbdLogLikelihood(Float64Array.of(0.55, 10.58, 0.61, 11.67), rfmData([2], [30.43], [38.86]))
 */
export function pnbdLogLikelihood(
  params: Float64Array,
  data: RfmData,
  grad?: Float64Array,
  from = 0,
  to: number = data.x.length,
): number {
  const r = params[0]!;
  const alpha = params[1]!;
  const s = params[2]!;
  const beta = params[3]!;
  if (grad) grad.fill(0, 0, 4);
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0) || !Number.isFinite(r + alpha + s + beta)) {
    return Number.NEGATIVE_INFINITY;
  }
  if (to <= from) return 0;
  const idx = pairIndex(data, from, to);
  const { tx, big } = tabulate(idx, r, alpha, s, beta);

  const weight = data.weight;
  const rowTx = idx.rowTx;
  const rowBigT = idx.rowBigT;
  // Neumaier-compensated sums: a plain sum over ~1e6 rows carries rounding noise ~sqrt(n)·1e-16·|LL|
  // (1e-14 relative), which near the optimum is larger than the changes the line search must see.
  let ll = 0;
  let llc = 0;
  let gr = 0;
  let ga = 0;
  let gs = 0;
  let gb = 0;
  for (let i = from; i < to; i++) {
    const w = weight ? weight[i]! : 1;
    if (w === 0) continue;
    const p = rowTx[i - from]! * TX_WIDTH;
    const q = rowBigT[i - from]! * BIG_WIDTH;
    const L1 = big[q]!;
    let li: number;
    let w1: number;
    let w2: number;
    let rho = 0;
    // Fast path in linear space relative to the "alive" term: R = e^{L2 - L1} = G E_tx - K_T, with
    // G = e^{cst + ln s - L1 + off_x} and K_T = e^{cst + ln s - L1 + ln J(T)} per (x, T) pair and
    // E_tx = e^{ln J(t_x) - off_x} per (x, t_x) pair (off_x = the largest ln J(t_x) of that x, so E_tx <= 1).
    // One log per row instead of four transcendental calls; taken only while all three are comfortably
    // inside double range, else the log-space path below.
    const eTx = tx[p + 5]!;
    const G = big[q + 15]!;
    const A = G * eTx;
    if (eTx > 1e-280 && G < 1e280 && A < 1e280) {
      const KT = big[q + 16]!;
      const R = A > KT ? A - KT : 0; // J(t_x) >= J(T); a rounding-level negative is t_x = T
      li = L1 + Math.log(1 + R); // absolute accuracy ~1e-16 is all a log-likelihood sum needs
      w1 = 1 / (1 + R);
      w2 = R * w1;
      if (R > 0) rho = KT / R;
    } else {
      const lJtx = tx[p]!;
      const d = big[q + 10]! - lJtx; // ln J(T) - ln J(t_x) <= 0
      let L2 = Number.NEGATIVE_INFINITY;
      if (d < 0) {
        const ed = Math.exp(d);
        // 1 - e^d: -expm1(d) keeps its digits when d is near 0 (t_x close to T).
        const om = d > -Math.LN2 ? -Math.expm1(d) : 1 - ed;
        L2 = big[q + 5]! + lJtx + Math.log(om);
        rho = ed / om;
      }
      // log-sum-exp of L1 and L2, the shared exponential reused for the mixing weight.
      if (L1 >= L2) {
        const e = Math.exp(L2 - L1);
        li = L1 + Math.log1p(e);
        w1 = 1 / (1 + e);
        w2 = e * w1;
      } else {
        const e = Math.exp(L1 - L2);
        li = L2 + Math.log1p(e);
        w2 = 1 / (1 + e);
        w1 = e * w2;
      }
    }
    const term = w * li;
    const sum = ll + term;
    llc += Math.abs(ll) >= Math.abs(term) ? ll - sum + term : term - sum + ll;
    ll = sum;
    if (grad) {
      // ∂L2 = ∂(cst + ln s) + ∂ln J(t_x) + ρ (∂ln J(t_x) - ∂ln J(T)); skipped entirely when w2 = 0.
      let d2r = 0;
      let d2a = 0;
      let d2s = 0;
      let d2b = 0;
      if (w2 > 0) {
        const jr = tx[p + 1]!;
        const ja = tx[p + 2]!;
        const js = tx[p + 3]!;
        const jb = tx[p + 4]!;
        d2r = big[q + 6]! + jr + rho * (jr - big[q + 11]!);
        d2a = big[q + 7]! + ja + rho * (ja - big[q + 12]!);
        d2s = big[q + 8]! + js + rho * (js - big[q + 13]!);
        d2b = big[q + 9]! + jb + rho * (jb - big[q + 14]!);
      }
      gr += w * (w1 * big[q + 1]! + w2 * d2r);
      ga += w * (w1 * big[q + 2]! + w2 * d2a);
      gs += w * (w1 * big[q + 3]! + w2 * d2s);
      gb += w * (w1 * big[q + 4]! + w2 * d2b);
    }
  }
  ll += llc;
  if (!Number.isFinite(ll)) {
    if (grad) grad.fill(0, 0, 4);
    return Number.NEGATIVE_INFINITY;
  }
  if (grad) {
    grad[0] = gr;
    grad[1] = ga;
    grad[2] = gs;
    grad[3] = gb;
  }
  return ll;
}

/** Per (x, t_x) pair: [ln J(t_x), ∂r, ∂α, ∂s, ∂β, E_tx = e^{ln J(t_x) - off_x}]. */
const TX_WIDTH = 6;
/**
 * Per (x, T) pair: [cst + L1, its 4 partials, cst + ln s, its 4 partials, ln J(T), its 4 partials] with
 * cst = ln Γ(r+x) - ln Γ(r) + r ln α + s ln β (folded in here so the row loop never looks x up),
 * then the fast path's G = e^{cst + ln s - L1 + off_x} and K_T = e^{cst + ln s - L1 + ln J(T)}.
 */
const BIG_WIDTH = 17;

const scratch = new WeakMap<PairIndex, { tx: Float64Array; big: Float64Array; xc: Float64Array }>();
const out5 = new Float64Array(5);

/** Fills the per-pair tables for these parameters (buffers reused across evaluations of the same index). */
function tabulate(idx: PairIndex, r: number, alpha: number, s: number, beta: number) {
  let buf = scratch.get(idx);
  if (!buf) {
    buf = {
      tx: new Float64Array(idx.txU.length * TX_WIDTH),
      big: new Float64Array(idx.bigTU.length * BIG_WIDTH),
      xc: new Float64Array(idx.xs.length * 3),
    };
    scratch.set(idx, buf);
  }
  const { tx, big, xc } = buf;
  // Per distinct x: ln Γ(r+x) - ln Γ(r) and its r-derivative ψ(r+x) - ψ(r).
  const lgr = lgamma(r);
  const dgr = digamma(r);
  for (let k = 0; k < idx.xs.length; k++) {
    const x = idx.xs[k]!;
    xc[3 * k] = lgamma(r + x) - lgr;
    xc[3 * k + 1] = digamma(r + x) - dgr;
    xc[3 * k + 2] = Number.NEGATIVE_INFINITY; // off_x
  }
  for (let k = 0; k < idx.txU.length; k++) {
    const xi = idx.txX[k]!;
    tailIntegral(r, alpha, s, beta, idx.xs[xi]!, idx.txU[k]!, out5);
    tx.set(out5, k * TX_WIDTH);
    if (out5[0]! > xc[3 * xi + 2]!) xc[3 * xi + 2] = out5[0]!;
  }
  for (let k = 0; k < idx.txU.length; k++) {
    tx[k * TX_WIDTH + 5] = Math.exp(tx[k * TX_WIDTH]! - xc[3 * idx.txX[k]! + 2]!);
  }
  const la = Math.log(alpha);
  const lb = Math.log(beta);
  const ls = Math.log(s);
  for (let k = 0; k < idx.bigTU.length; k++) {
    const xi = idx.bigTX[k]!;
    const x = idx.xs[xi]!;
    const T = idx.bigTU[k]!;
    const o = k * BIG_WIDTH;
    const cst = xc[3 * xi]! + r * la + s * lb;
    const dcr = xc[3 * xi + 1]! + la;
    const dca = r / alpha;
    const dcs = lb;
    const dcb = s / beta;
    const laT = Math.log(alpha + T);
    const lbT = Math.log(beta + T);
    big[o] = cst - (r + x) * laT - s * lbT;
    big[o + 1] = dcr - laT;
    big[o + 2] = dca - (r + x) / (alpha + T);
    big[o + 3] = dcs - lbT;
    big[o + 4] = dcb - s / (beta + T);
    big[o + 5] = cst + ls;
    big[o + 6] = dcr;
    big[o + 7] = dca;
    big[o + 8] = dcs + 1 / s;
    big[o + 9] = dcb;
    tailIntegral(r, alpha, s, beta, x, T, out5);
    big.set(out5, o + 10);
    const toL1 = big[o + 5]! - big[o]!;
    big[o + 15] = Math.exp(toL1 + xc[3 * xi + 2]!);
    big[o + 16] = Math.exp(toL1 + out5[0]!);
  }
  return buf;
}
