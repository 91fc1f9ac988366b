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

/**
 * Number of parameters of layers with the given widths.
 * @example parameterCount([30, 64, 32, 3]) // 30*64+64 + 64*32+32 + 32*3+3 = 4163
 */
export function parameterCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l]! * widths[l + 1]! + widths[l + 1]!;
  return n;
}

/**
 * Views of one flat parameter buffer as layers (weights then bias, layer after layer), so the optimiser
 * can update every parameter in one loop while the forward pass reads them per layer.
 * @example const layers = layerViews(new Float64Array(parameterCount([3, 3])), [3, 3]);
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
 * @example initialiseWeights(layers, createRng(1));
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
 * Rows are taken two at a time and outputs two at a time (a 2 x 2 register block): each weight and each
 * input loaded serves two products, and the four sums are independent, so the CPU overlaps them.
 * The order of additions is fixed, so results are reproducible.
 * @example const logits = forward(layers, x, rows, acts); // logits[3 * b + k]
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
    let b = 0;
    for (; b + 1 < rows; b += 2) {
      const x0 = b * inputs;
      const x1 = x0 + inputs;
      const o0 = b * outputs;
      const o1 = o0 + outputs;
      let j = 0;
      for (; j + 1 < outputs; j += 2) {
        const w0 = j * inputs;
        const w1 = w0 + inputs;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let i = 0; i < inputs; i++) {
          const wa = weights[w0 + i]!;
          const wb = weights[w1 + i]!;
          const xa = input[x0 + i]!;
          const xb = input[x1 + i]!;
          s00 += wa * xa;
          s01 += wb * xa;
          s10 += wa * xb;
          s11 += wb * xb;
        }
        const ba = bias[j]!;
        const bb = bias[j + 1]!;
        s00 += ba;
        s01 += bb;
        s10 += ba;
        s11 += bb;
        out[o0 + j] = relu && s00 < 0 ? 0 : s00;
        out[o0 + j + 1] = relu && s01 < 0 ? 0 : s01;
        out[o1 + j] = relu && s10 < 0 ? 0 : s10;
        out[o1 + j + 1] = relu && s11 < 0 ? 0 : s11;
      }
      for (; j < outputs; j++) {
        const w0 = j * inputs;
        let s0 = 0;
        let s1 = 0;
        for (let i = 0; i < inputs; i++) {
          const w = weights[w0 + i]!;
          s0 += w * input[x0 + i]!;
          s1 += w * input[x1 + i]!;
        }
        s0 += bias[j]!;
        s1 += bias[j]!;
        out[o0 + j] = relu && s0 < 0 ? 0 : s0;
        out[o1 + j] = relu && s1 < 0 ? 0 : s1;
      }
    }
    for (; b < rows; b++) {
      const x0 = b * inputs;
      const o0 = b * outputs;
      for (let j = 0; j < outputs; j++) {
        const w0 = j * inputs;
        let s0 = 0;
        for (let i = 0; i < inputs; i++) s0 += weights[w0 + i]! * input[x0 + i]!;
        s0 += bias[j]!;
        out[o0 + j] = relu && s0 < 0 ? 0 : s0;
      }
    }
    input = out;
  }
  return acts[layers.length - 1]!;
}

/** Work buffers of `backward`, sized once per training run (no allocation per mini-batch). */
export interface BackwardScratch {
  readonly deltaT: Float64Array;
  readonly inputT: Float64Array;
  readonly weightsT: Float64Array;
}

/**
 * Allocates `backward`'s work buffers for layers of the given widths and a batch size.
 * @example const scratch = backwardScratch([30, 64, 32, 3], 256);
 */
export function backwardScratch(widths: readonly number[], batchSize: number): BackwardScratch {
  let maxWidth = 0;
  let maxWeights = 0;
  for (let l = 0; l < widths.length; l++) {
    maxWidth = Math.max(maxWidth, widths[l]!);
    if (l + 1 < widths.length) maxWeights = Math.max(maxWeights, widths[l]! * widths[l + 1]!);
  }
  return {
    deltaT: new Float64Array(maxWidth * batchSize),
    inputT: new Float64Array(maxWidth * batchSize),
    weightsT: new Float64Array(maxWeights),
  };
}

/**
 * Dot product of a[ao .. ao+n) and b[bo .. bo+n) with four independent partial sums (one running sum
 * would wait on each add's latency in turn; four let the CPU overlap them). The summation order is
 * fixed, so results are reproducible.
 */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < n; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Backward pass: given d loss / d logits in `deltas[L-1]` (rows x 3), accumulates parameter gradients
 * into `grads` (views laid out like the parameters) and propagates deltas down through the ReLUs.
 * Every product is written as a contiguous dot product: the batch's deltas and inputs are transposed
 * first (dW[j][i] = sum_b delta[b][j] * input[b][i]), and the weights for the delta passed down
 * (prev[b][i] = sum_j W[j][i] * delta[b][j]); this runs 2-3x faster in V8 than scattered updates.
 * The input layer's delta is never needed, so it is not computed, unless `inputDelta` is given: then
 * `x` is taken as the ReLU output of a layer below (see `sparseBackward`) and its delta is written there.
 * @example backward(layers, grads, x, rows, acts, deltas, backwardScratch(widths, rows));
 */
export function backward(
  layers: readonly DenseLayer[],
  grads: readonly DenseLayer[],
  x: Float64Array,
  rows: number,
  acts: readonly Float64Array[],
  deltas: readonly Float64Array[],
  scratch: BackwardScratch,
  inputDelta?: Float64Array,
  weightGrad?: WeightGradKernel,
): void {
  const { deltaT, inputT, weightsT } = scratch;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inputs, outputs } = layers[l]!;
    const g = grads[l]!;
    const input = l === 0 ? x : acts[l - 1]!;
    const delta = deltas[l]!;
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < outputs; j++) deltaT[j * rows + b] = delta[b * outputs + j]!;
    }
    const gw = g.weights;
    for (let j = 0; j < outputs; j++) {
      let sb = 0;
      for (let b = 0; b < rows; b++) sb += deltaT[j * rows + b]!;
      g.bias[j]! += sb;
    }
    // with both widths even every dW[j][i] below is one running sum over b from 0, which the kernel
    // (when given and able) computes term for term
    if (inputs % 2 === 0 && outputs % 2 === 0 && weightGrad?.(input, deltaT, rows, inputs, outputs, gw)) {
      propagate(l, layers[l]!, delta, rows, x, acts, deltas, weightsT, inputDelta);
      continue;
    }
    for (let b = 0; b < rows; b++) {
      for (let i = 0; i < inputs; i++) inputT[i * rows + b] = input[b * inputs + i]!;
    }
    // dW[j][i] = sum_b deltaT[j][b] * inputT[i][b], in 2 x 2 blocks of (j, i) for the same reason as forward
    let j = 0;
    for (; j + 1 < outputs; j += 2) {
      const d0 = j * rows;
      const d1 = d0 + rows;
      let i = 0;
      for (; i + 1 < inputs; i += 2) {
        const i0 = i * rows;
        const i1 = i0 + rows;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let b = 0; b < rows; b++) {
          const da = deltaT[d0 + b]!;
          const db = deltaT[d1 + b]!;
          const xa = inputT[i0 + b]!;
          const xb = inputT[i1 + b]!;
          s00 += da * xa;
          s01 += da * xb;
          s10 += db * xa;
          s11 += db * xb;
        }
        gw[j * inputs + i]! += s00;
        gw[j * inputs + i + 1]! += s01;
        gw[(j + 1) * inputs + i]! += s10;
        gw[(j + 1) * inputs + i + 1]! += s11;
      }
      for (; i < inputs; i++) {
        gw[j * inputs + i]! += dot(deltaT, d0, inputT, i * rows, rows);
        gw[(j + 1) * inputs + i]! += dot(deltaT, d1, inputT, i * rows, rows);
      }
    }
    for (; j < outputs; j++) {
      for (let i = 0; i < inputs; i++) gw[j * inputs + i]! += dot(deltaT, j * rows, inputT, i * rows, rows);
    }
    propagate(l, layers[l]!, delta, rows, x, acts, deltas, weightsT, inputDelta);
  }
}

/**
 * dW[j][i] += sum over b < rows of deltaT[j * rows + b] * input[b * inputs + i], summed from 0 in
 * ascending b (as `backward` sums it when both widths are even), into `gw`; false when it cannot (the
 * caller then sums in TypeScript). The trainer passes the SIMD kernel's (see train.ts).
 */
export type WeightGradKernel = (
  input: Float64Array,
  deltaT: Float64Array,
  rows: number,
  inputs: number,
  outputs: number,
  gw: Float64Array,
) => boolean;

/** `backward`'s delta passed down from layer l through the ReLUs below it (none below the input). */
function propagate(
  l: number,
  layer: DenseLayer,
  delta: Float64Array,
  rows: number,
  x: Float64Array,
  acts: readonly Float64Array[],
  deltas: readonly Float64Array[],
  weightsT: Float64Array,
  inputDelta: Float64Array | undefined,
): void {
  if (!(l > 0 || inputDelta)) return;
  const { inputs, outputs, weights } = layer;
  // with `inputDelta`, x is itself a ReLU layer's output (the stack above a sparse first layer)
  const prev = l > 0 ? deltas[l - 1]! : inputDelta!;
  const a = l > 0 ? acts[l - 1]! : x;
  for (let j = 0; j < outputs; j++) {
    for (let i = 0; i < inputs; i++) weightsT[i * outputs + j] = weights[j * inputs + i]!;
  }
  for (let b = 0; b < rows; b++) {
    for (let i = 0; i < inputs; i++) {
      const k = b * inputs + i;
      // ReLU derivative: the delta passes only where the unit was active
      prev[k] = a[k]! > 0 ? dot(weightsT, i * outputs, delta, b * outputs, outputs) : 0;
    }
  }
}

/**
 * The first layer's weights transposed, W[j][i] at [i * outputs + j], into `into` (reused per call): a
 * sparse row then reads each slot's weights for all outputs from one contiguous run.
 * @example const wT = transposeWeights(layer, new Float64Array(layer.weights.length));
 */
export function transposeWeights(layer: DenseLayer, into: Float64Array): Float64Array {
  const { inputs, outputs, weights } = layer;
  for (let j = 0; j < outputs; j++) {
    for (let i = 0; i < inputs; i++) into[i * outputs + j] = weights[j * inputs + i]!;
  }
  return into;
}

/**
 * Forward pass of a first layer over sparse slot rows (`EncodedFeatures`): out[b][j] = sum over the
 * row's slots of W[j][column] * value, then + bias[j], ReLU when `relu`. Each sum starts at 0 and adds
 * the slots in ascending column order, exactly the non-zero terms of `forward`'s dense sum in the same
 * order (the zero terms it also adds change nothing), so the outputs are bit-identical to `forward` on
 * the dense one-hot rows, at `slots` instead of `cols` multiply-adds per output. `weightsT` is
 * `transposeWeights(layer, ...)`: four outputs are summed at once from contiguous weights.
 * @example sparseForward(layer, transposeWeights(layer, buf), values, columns, slots, rows, out, false)
 */
export function sparseForward(
  layer: DenseLayer,
  weightsT: Float64Array,
  values: Float64Array,
  columns: Int32Array,
  slots: number,
  rows: number,
  out: Float64Array,
  relu: boolean,
): void {
  const { outputs, bias } = layer;
  for (let b = 0; b < rows; b++) {
    const at = b * slots;
    const o = b * outputs;
    let j = 0;
    for (; j + 3 < outputs; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < slots; k++) {
        const v = values[at + k]!;
        const w = columns[at + k]! * outputs + j;
        s0 += weightsT[w]! * v;
        s1 += weightsT[w + 1]! * v;
        s2 += weightsT[w + 2]! * v;
        s3 += weightsT[w + 3]! * v;
      }
      s0 += bias[j]!;
      s1 += bias[j + 1]!;
      s2 += bias[j + 2]!;
      s3 += bias[j + 3]!;
      out[o + j] = relu && s0 < 0 ? 0 : s0;
      out[o + j + 1] = relu && s1 < 0 ? 0 : s1;
      out[o + j + 2] = relu && s2 < 0 ? 0 : s2;
      out[o + j + 3] = relu && s3 < 0 ? 0 : s3;
    }
    for (; j < outputs; j++) {
      let s = 0;
      for (let k = 0; k < slots; k++) s += weightsT[columns[at + k]! * outputs + j]! * values[at + k]!;
      s += bias[j]!;
      out[o + j] = relu && s < 0 ? 0 : s;
    }
  }
}

/** Work buffers of `sparseBackward`. */
export interface SparseScratch {
  /** Running sums per weight, transposed ([i * outputs + j]). */
  readonly sums: Float64Array;
  /** Four partial sums per weight, for the weights `backward` sums with `dot`. */
  readonly lanes: Float64Array;
}

/**
 * Allocates `sparseBackward`'s work buffers for a layer.
 * @example const scratch = sparseScratch(layers[0]);
 */
export function sparseScratch(layer: DenseLayer): SparseScratch {
  const n = layer.inputs * layer.outputs;
  return { sums: new Float64Array(n), lanes: new Float64Array(4 * n) };
}

/**
 * Gradient of a sparse first layer (see `sparseForward`) from its output deltas (rows x outputs),
 * accumulated into `grad`. The sums reproduce `backward`'s dense ones term for term, so the gradient is
 * bit-identical: there, dW[j][i] is a running sum over the batch rows, except for the last output of an
 * odd count and the last input of an odd count, which go through `dot`'s four partial sums (row b in
 * sum b mod 4, the rows after the last multiple of 4 in sum 0, then (s0 + s1) + (s2 + s3)). Here the
 * running sums are kept transposed (a row's slot updates all outputs of one input: one contiguous run)
 * and those few weights keep the same four partial sums, fed only by the rows whose slot touches them.
 * @example sparseBackward(layer, grads[0], values, columns, slots, rows, deltas[0], sparseScratch(layer));
 */
export function sparseBackward(
  layer: DenseLayer,
  grad: DenseLayer,
  values: Float64Array,
  columns: Int32Array,
  slots: number,
  rows: number,
  delta: Float64Array,
  scratch: SparseScratch,
): void {
  const { inputs, outputs } = layer;
  const { sums, lanes } = scratch;
  for (let j = 0; j < outputs; j++) {
    let sb = 0;
    for (let b = 0; b < rows; b++) sb += delta[b * outputs + j]!;
    grad.bias[j]! += sb;
  }
  sums.fill(0);
  lanes.fill(0);
  // the weights `backward` sums with `dot`: a whole odd last output row, and an odd last input column
  const dotRow = outputs % 2 === 1 ? outputs - 1 : -1;
  const dotCol = inputs % 2 === 1 ? inputs - 1 : -1;
  const blocked = rows - (rows % 4);
  for (let b = 0; b < rows; b++) {
    const lane = b < blocked ? b & 3 : 0;
    const at = b * slots;
    const d = b * outputs;
    for (let k = 0; k < slots; k++) {
      const i = columns[at + k]!;
      const v = values[at + k]!;
      const base = i * outputs;
      if (i === dotCol) {
        for (let j = 0; j < outputs; j++) lanes[4 * (base + j) + lane]! += delta[d + j]! * v;
        continue;
      }
      const plain = dotRow < 0 ? outputs : dotRow;
      for (let j = 0; j < plain; j++) sums[base + j]! += delta[d + j]! * v;
      if (dotRow >= 0) lanes[4 * (base + dotRow) + lane]! += delta[d + dotRow]! * v;
    }
  }
  const gw = grad.weights;
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < outputs; j++) {
      const q = i * outputs + j;
      gw[j * inputs + i]! +=
        j === dotRow || i === dotCol
          ? lanes[4 * q]! + lanes[4 * q + 1]! + (lanes[4 * q + 2]! + lanes[4 * q + 3]!)
          : sums[q]!;
    }
  }
}
