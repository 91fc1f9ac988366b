import type { ModelSpec } from "@valuecast/core";

/** Normal(mu, sigma) over a column `v`, with a range likelihood: a stand-in model for pool tests. */
export type NormalData = { readonly v: Float64Array };

function range(p: Float64Array, d: NormalData, from: number, to: number, g?: Float64Array): number {
  const mu = p[0]!;
  const s = p[1]!;
  let ll = 0;
  let dmu = 0;
  let ds = 0;
  for (let i = from; i < to; i++) {
    const z = (d.v[i]! - mu) / s;
    ll += -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * z * z;
    dmu += z / s;
    ds += -1 / s + (z * z) / s;
  }
  if (g) {
    g[0] = g[0]! + dmu;
    g[1] = g[1]! + ds;
  }
  return ll;
}

export const normalSpec: ModelSpec<NormalData> = {
  name: "normal",
  reference: "textbook",
  params: [
    { name: "mu", transform: "identity" },
    { name: "sigma", transform: "log" },
  ],
  validate: () => [],
  count: (d) => d.v.length,
  rows: (d) => d.v.length,
  starts: () => [[0, 1]],
  logLikelihood: (p, d, g) => {
    g?.fill(0);
    return range(p, d, 0, d.v.length, g);
  },
  logLikelihoodRange: range,
};
