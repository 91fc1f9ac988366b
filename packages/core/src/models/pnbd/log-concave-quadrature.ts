import { gaussLegendre } from "../../math/quadrature.ts";

const RULE = gaussLegendre(20);
/** Panels stop once the integrand is below e^-50 of its maximum: beyond, concavity bounds the rest. */
const NEGLIGIBLE = 50;
const MAX_PANELS = 400;

/**
 * Integrates e^{h(y)} over [lo, hi] (hi may be +Infinity) for a concave h, calling
 * `visit(y, w)` at each node with w = (Gauss-Legendre weight) · e^{h(y) - hRef}; returns hRef = h(mode),
 * so ∫ e^h g dy = e^{hRef} Σ w g(y). The caller sums whatever weighted functions it needs in one pass.
 *
 * Why it is reliable: a concave h makes the integrand unimodal, so we find the mode by bisection on h',
 * walk outwards in panels sized so that h changes by at most ~4 and h' by at most ~4/width across each
 * (a 20-point Gauss-Legendre rule is then exact to ~1e-15 for such near-exponential shapes), and stop
 * when the integrand has fallen below e^-50 of its peak (past that point concavity makes it decay at
 * least geometrically, so the neglected tail is smaller still).
 * @example
 * // ∫_0^∞ e^{-y} dy = 1
 * const hRef = integrateLogConcave((y) => -y, () => -1, 0, Infinity, (y, w) => { sum += w; });
 */
export function integrateLogConcave(
  h: (y: number) => number,
  dh: (y: number) => number,
  lo: number,
  hi: number,
  visit: (y: number, w: number) => void,
): number {
  const mode = findMode(dh, lo, hi);
  const hRef = h(mode);
  walk(h, dh, mode, hRef, hi, 1, visit);
  walk(h, dh, mode, hRef, lo, -1, visit);
  return hRef;
}

function findMode(dh: (y: number) => number, lo: number, hi: number): number {
  if (dh(lo) <= 0) return lo;
  let a = lo;
  let b: number;
  if (Number.isFinite(hi)) {
    if (dh(hi) >= 0) return hi;
    b = hi;
  } else {
    // Expand to bracket the sign change of h' (concave h: h' is decreasing).
    let step = 1;
    b = lo + step;
    while (dh(b) > 0 && step < 1e300) {
      a = b;
      step *= 2;
      b = lo + step;
    }
  }
  for (let i = 0; i < 200 && b - a > 1e-12 * (1 + Math.abs(a)); i++) {
    const mid = 0.5 * (a + b);
    if (dh(mid) > 0) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}

function walk(
  h: (y: number) => number,
  dh: (y: number) => number,
  start: number,
  hRef: number,
  end: number,
  dir: 1 | -1,
  visit: (y: number, w: number) => void,
): void {
  let a = start;
  let ha = hRef;
  let ga = dh(start);
  for (let panel = 0; panel < MAX_PANELS && (dir > 0 ? a < end : a > end); panel++) {
    let width = 2 / Math.max(Math.abs(ga), 1e-3);
    let b = a;
    let hb = ha;
    let gb = ga;
    for (let halvings = 0; halvings < 80; halvings++) {
      b = dir > 0 ? Math.min(a + width, end) : Math.max(a - width, end);
      hb = h(b);
      gb = dh(b);
      const w = Math.abs(b - a);
      if (Math.abs(hb - ha) <= 4 && Math.abs(gb - ga) * w <= 4) break;
      width = 0.5 * w;
    }
    const half = 0.5 * (b - a);
    const mid = 0.5 * (a + b);
    const scale = Math.abs(half);
    for (let i = 0; i < RULE.nodes.length; i++) {
      const y = mid + half * RULE.nodes[i]!;
      const v = h(y) - hRef;
      if (v > -745) visit(y, RULE.weights[i]! * scale * Math.exp(v));
    }
    if (hb - hRef < -NEGLIGIBLE) return;
    a = b;
    ha = hb;
    ga = gb;
  }
}
