import type { UniformSource } from "./rng.ts";

/**
 * A fully connected layer: output j = bias[j] + sum_i weights[j * inputs + i] * input[i]. Hidden layers
 * apply ReLU; the last layer emits the three ZILN logits (l_p, mu, l_sigma) unchanged.
 */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** Number of parameters of layers with the given widths, e.g. [30, 64, 32, 3]. */
export function parameterCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l]! * widths[l + 1]! + widths[l + 1]!;
  return n;
}

/**
 * Views of one flat parameter buffer as layers (weights then bias, layer after layer), so the optimiser
 * can update every parameter in one loop while the forward pass reads them per layer.
 */
export function layerViews(params: Float64Array, widths: readonly number[]): DenseLayer[] {
  const layers: DenseLayer[] = [];
  let at = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const inputs = widths[l]!;
    const outputs = widths[l + 1]!;
    const weights = params.subarray(at, at + inputs * outputs);
    at += inputs * outputs;
    const bias = params.subarray(at, at + outputs);
    at += outputs;
    layers.push({ inputs, outputs, weights, bias });
  }
  return layers;
}

/**
 * Random initial weights, drawn in place: hidden layers He-uniform, U(-sqrt(6/fan_in), sqrt(6/fan_in)),
 * which keeps the variance of ReLU activations constant from layer to layer (He et al. 2015); the output
 * layer Glorot-uniform scaled by 0.1, so the initial logits stay close to the output bias, which the
 * trainer sets from the label distribution. A linear model (one layer) starts at zero weights.
 */
export function initialiseWeights(layers: readonly DenseLayer[], rng: UniformSource): void {
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l]!;
    const last = l === layers.length - 1;
    const a = last
      ? layers.length === 1
        ? 0
        : 0.1 * Math.sqrt(6 / (layer.inputs + layer.outputs))
      : Math.sqrt(6 / layer.inputs);
    for (let k = 0; k < layer.weights.length; k++) layer.weights[k] = a * (2 * rng.uniform() - 1);
    layer.bias.fill(0);
  }
}

/**
 * Forward pass of `rows` inputs (row-major in `x`) through all layers; `acts[l]` receives layer l's
 * outputs (after ReLU for hidden layers). Returns the last buffer: `rows` x 3 logits.
 */
export function forward(
  layers: readonly DenseLayer[],
  x: Float64Array,
  rows: number,
  acts: readonly Float64Array[],
): Float64Array {
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    const { inputs, outputs, weights, bias } = layers[l]!;
    const out = acts[l]!;
    const relu = l < layers.length - 1;
    for (let b = 0; b < rows; b++) {
      const xo = b * inputs;
      const oo = b * outputs;
      for (let j = 0; j < outputs; j++) {
        const wo = j * inputs;
        // four independent partial sums: one running sum would wait on each add's latency in turn,
        // four let the CPU overlap them (about 2-3x faster here); the order of additions is fixed, so
        // results stay reproducible
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let i = 0;
        for (; i + 3 < inputs; i += 4) {
          s0 += weights[wo + i]! * input[xo + i]!;
          s1 += weights[wo + i + 1]! * input[xo + i + 1]!;
          s2 += weights[wo + i + 2]! * input[xo + i + 2]!;
          s3 += weights[wo + i + 3]! * input[xo + i + 3]!;
        }
        for (; i < inputs; i++) s0 += weights[wo + i]! * input[xo + i]!;
        const s = bias[j]! + (s0 + s1 + (s2 + s3));
        out[oo + j] = relu && s < 0 ? 0 : s;
      }
    }
    input = out;
  }
  return acts[layers.length - 1]!;
}

/**
 * Backward pass: given d loss / d logits in `deltas[L-1]` (rows x 3), accumulates parameter gradients
 * into `grads` (views laid out like the parameters) and propagates deltas down through the ReLUs.
 * The input layer's delta is never needed, so it is not computed.
 */
export function backward(
  layers: readonly DenseLayer[],
  grads: readonly DenseLayer[],
  x: Float64Array,
  rows: number,
  acts: readonly Float64Array[],
  deltas: readonly Float64Array[],
): void {
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inputs, outputs, weights } = layers[l]!;
    const g = grads[l]!;
    const input = l === 0 ? x : acts[l - 1]!;
    const delta = deltas[l]!;
    const prev = l > 0 ? deltas[l - 1]! : undefined;
    if (prev) prev.fill(0, 0, rows * inputs);
    for (let b = 0; b < rows; b++) {
      const xo = b * inputs;
      const oo = b * outputs;
      for (let j = 0; j < outputs; j++) {
        const d = delta[oo + j]!;
        if (d === 0) continue; // dead ReLU units and zero-label rows' mu/sigma outputs cost nothing
        g.bias[j]! += d;
        const wo = j * inputs;
        const gw = g.weights;
        if (prev) {
          for (let i = 0; i < inputs; i++) {
            gw[wo + i]! += d * input[xo + i]!;
            prev[xo + i]! += weights[wo + i]! * d;
          }
        } else {
          for (let i = 0; i < inputs; i++) gw[wo + i]! += d * input[xo + i]!;
        }
      }
    }
    if (prev) {
      // ReLU derivative: the delta passes only where the unit was active
      const a = acts[l - 1]!;
      for (let k = 0; k < rows * inputs; k++) if (a[k]! <= 0) prev[k] = 0;
    }
  }
}
