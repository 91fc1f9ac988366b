import { issue, ValuecastError } from "../errors/issues.ts";
import { createRng } from "../math/random.ts";
import type { EncodedFeatures } from "./encode-columns.ts";
import type { FeatureMatrix } from "./matrix.ts";
import {
  backward,
  backwardScratch,
  type DenseLayer,
  forward,
  initialiseWeights,
  layerViews,
  parameterCount,
  sparseBackward,
  sparseForward,
  sparseScratch,
  transposeWeights,
  type WeightGradKernel,
} from "./network.ts";
import { shuffleInPlace } from "./rng.ts";
import { simdKernel } from "./simd.ts";
import { inverseSoftplus, sigmoid, zilnMeanOf, zilnRowLoss } from "./ziln.ts";

/** Options of `trainZiln`. Every default is stated; training is reproducible for a given seed. */
export interface ZilnTrainOptions {
  /** Hidden layer widths: [] (default) is the linear ZILN model, e.g. [64, 32] a small MLP with ReLU. */
  readonly hidden?: readonly number[];
  /**
   * Maximum passes over the training rows. Default: a budget of row visits, 5 million for the linear
   * model and 4.5 million for an MLP (its epochs cost ten times more), at least 3 and at most 1000 epochs:
   * at 900k rows 6 and 5 epochs. On the simulated 1M customers of bench/suites/early-value the MLP's best
   * validation epoch of 6 was the 5th (the 4th at 630k rows), so the shorter run keeps the same weights;
   * small sets get ample steps and early stopping ends their run.
   */
  readonly epochs?: number;
  /** Rows per Adam step (default 256). */
  readonly batchSize?: number;
  /** Adam step size (default 0.01 for the linear model, 0.002 for an MLP). */
  readonly learningRate?: number;
  /** Decoupled L2 weight decay per step, times the learning rate, on weights not biases (default 1e-4). */
  readonly weightDecay?: number;
  /**
   * Stop after this many epochs without a better validation loss (default 5); after each such epoch the
   * learning rate is halved.
   */
  readonly patience?: number;
  /**
   * Share of rows, taken from the END of the input, held out for early stopping (default 0.1). Put rows
   * in acquisition-time order so this is a time-based split: later cohorts validate earlier ones.
   */
  readonly validationFraction?: number;
  /** An explicit validation set instead of `validationFraction`. */
  readonly validation?: { readonly features: FeatureMatrix; readonly labels: ArrayLike<number> };
  /**
   * Keep the weights of the best validation epoch (true, the default) or of the last epoch (false). With
   * a small validation set the best epoch is partly luck; the last weights, reached at a learning rate
   * halved on every plateau, are the converged ones.
   */
  readonly restoreBest?: boolean;
  /** Seed of the initial weights and the mini-batch order (default 1). */
  readonly seed?: number;
}

/** What happened during training. */
export interface ZilnTrainingReport {
  readonly trainRows: number;
  readonly validationRows: number;
  readonly epochs: number;
  /** The epoch (1-based) whose weights were kept: the best validation loss. */
  readonly bestEpoch: number;
  /** Mean ZILN loss over each epoch's mini-batches (before each step). */
  readonly trainLoss: readonly number[];
  /** Mean ZILN loss on the validation rows after each epoch (empty without validation rows). */
  readonly validationLoss: readonly number[];
  readonly stoppedEarly: boolean;
  /**
   * True when the loss stopped being finite (weights overflowed, e.g. with a far too large learning
   * rate): training stopped and the last finite best weights were kept, never NaN predictions.
   */
  readonly diverged: boolean;
}

/** A trained ZILN model: plain data (use `zilnModelToJson` / `zilnModelFromJson` to store it). */
export interface ZilnModel {
  readonly kind: "ziln";
  readonly architecture: "linear" | "mlp";
  readonly featureNames: readonly string[];
  readonly layers: readonly DenseLayer[];
  readonly training: ZilnTrainingReport;
}

/** Per-customer predictions: p = P(any value in the horizon) and the mean p * exp(mu + sigma^2/2). */
export interface ZilnPrediction {
  readonly p: Float64Array;
  readonly mean: Float64Array;
}

function checkLabels(labels: ArrayLike<number>, rows: number, what: string): void {
  if (labels.length !== rows) {
    throw new ValuecastError([
      issue("INVALID_DATA", `${what}: ${rows} feature rows but ${labels.length} labels`),
    ]);
  }
  for (let i = 0; i < rows; i++) {
    const y = labels[i]!;
    if (!(Number.isFinite(y) && y >= 0)) {
      throw new ValuecastError([
        issue("INVALID_DATA", `${what}: label ${i} is ${y}; ZILN needs finite values >= 0`, { index: i }),
      ]);
    }
  }
}

/** Feature rows a trainer reads: a dense matrix, or sparse slot rows (`encodeColumns`). */
type Rows = FeatureMatrix | EncodedFeatures;
const isEncoded = (m: Rows): m is EncodedFeatures => "slots" in m;

/** Every feature value must be finite: one NaN would spread through every weight it touches. */
function checkFeatures(m: Rows, what: string, rowOffset = 0): void {
  const v = m.values;
  const width = isEncoded(m) ? m.slots : m.cols;
  const count = m.rows * width;
  if (v.length < count || (isEncoded(m) && m.columns.length < count)) {
    throw new ValuecastError([
      issue("INVALID_DATA", `${what}: the matrix holds fewer values than rows x cols`),
    ]);
  }
  if (featuresValid(v, isEncoded(m) ? m.columns : null, m.rows, width, m.cols)) return;
  // something is wrong: find the first problem to report it
  for (let k = 0; k < count; k++) {
    if (!Number.isFinite(v[k]!)) {
      const row = rowOffset + Math.floor(k / width);
      const col = isEncoded(m) ? m.columns[k]! : k % width;
      throw new ValuecastError([
        issue("INVALID_DATA", `${what}: feature '${m.names[col]}' of row ${row} is ${v[k]}`, {
          index: row,
        }),
      ]);
    }
  }
  if (isEncoded(m)) {
    // slot columns must exist and ascend within a row (the order that makes sums match the dense path)
    for (let r = 0; r < m.rows; r++) {
      let prev = -1;
      for (let k = r * width; k < (r + 1) * width; k++) {
        const c = m.columns[k]!;
        if (!(c >= prev && c < m.cols)) {
          throw new ValuecastError([
            issue(
              "INVALID_DATA",
              `${what}: row ${rowOffset + r} has slot column ${c} out of order or range`,
              {
                index: rowOffset + r,
              },
            ),
          ]);
        }
        prev = c;
      }
    }
  }
}

/**
 * True when every value is finite and (slot rows) every row's columns ascend within [0, cols): one
 * pass over plain typed arrays, the scorer's check of a million rows (it ran as three loops through
 * the matrix object, 0.15 s a million rows); `checkFeatures` then names the first problem, if any.
 */
function featuresValid(
  v: Float64Array,
  columns: Int32Array | null,
  rows: number,
  width: number,
  cols: number,
): boolean {
  const count = rows * width;
  // v - v is 0 for finite v, NaN for NaN and the infinities
  let finite = 0;
  for (let k = 0; k < count; k++) finite += v[k]! - v[k]!;
  if (finite !== 0) return false;
  if (!columns) return true;
  for (let r = 0, k = 0; r < rows; r++) {
    let prev = -1;
    for (let e = k + width; k < e; k++) {
      const c = columns[k]!;
      if (c < prev || c >= cols) return false;
      prev = c;
    }
  }
  return true;
}

/** Labels `from` to `to`: a view of a Float64Array (no copy), else a plain array copy. */
function sliceLabels(labels: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return labels instanceof Float64Array
    ? labels.subarray(from, to)
    : (Array.prototype.slice.call(labels, from, to) as number[]);
}

/** Rows `from` to `to` of either form, sharing buffers. */
function sliceAny(m: Rows, from: number, to: number): Rows {
  if (isEncoded(m)) {
    return {
      ...m,
      rows: to - from,
      values: m.values.subarray(from * m.slots, to * m.slots),
      columns: m.columns.subarray(from * m.slots, to * m.slots),
    };
  }
  return { ...m, rows: to - from, values: m.values.subarray(from * m.cols, to * m.cols) };
}

/**
 * Forward pass of rows `start .. start + rows` of `m`: the dense `forward`, or for slot rows the sparse
 * first layer then the dense layers above it (bit-identical outputs, see `sparseForward`).
 */
function forwardRows(
  layers: readonly DenseLayer[],
  m: Rows,
  start: number,
  rows: number,
  acts: readonly Float64Array[],
  weightsT?: Float64Array,
): Float64Array {
  if (!isEncoded(m))
    return forward(layers, m.values.subarray(start * m.cols, (start + rows) * m.cols), rows, acts);
  const S = m.slots;
  const many = layers.length > 1;
  sparseForward(
    layers[0]!,
    weightsT ?? transposeWeights(layers[0]!, new Float64Array(layers[0]!.weights.length)),
    m.values.subarray(start * S, (start + rows) * S),
    m.columns.subarray(start * S, (start + rows) * S),
    S,
    rows,
    acts[0]!,
    many,
  );
  return many ? forward(layers.slice(1), acts[0]!, rows, acts.slice(1)) : acts[0]!;
}

/**
 * Output biases that make the untrained network predict the training label distribution: l_p = logit of
 * the share of positive labels, mu and sigma = mean and sd of log y over the positive labels. Starting
 * there, training spends its steps on the features rather than on finding the label scale.
 */
function labelPriors(labels: ArrayLike<number>, rows: number): [number, number, number] {
  let pos = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    const y = labels[i]!;
    if (y > 0) {
      const l = Math.log(y);
      pos++;
      s += l;
      ss += l * l;
    }
  }
  const share = Math.min(1 - 1e-6, Math.max(1e-6, pos / Math.max(1, rows)));
  const mu = pos > 0 ? s / pos : 0;
  const sd = pos > 1 ? Math.sqrt(Math.max(0, ss / pos - mu * mu)) : 1;
  return [Math.log(share / (1 - share)), mu, inverseSoftplus(Math.max(0.05, sd))];
}

/** Mean ZILN loss of `m` rows under the current layers, forward passes in chunks of `chunk` rows. */
function meanLoss(
  layers: readonly DenseLayer[],
  m: Rows,
  labels: ArrayLike<number>,
  acts: readonly Float64Array[],
  chunk: number,
  net?: SimdNetwork | null,
): number {
  let total = 0;
  if (net && isEncoded(m)) {
    // the SIMD kernel (bit-identical logits); `net` was laid out for blocks of at least `chunk` rows
    net.load();
    const S = m.slots;
    for (let start = 0; start < m.rows; start += chunk) {
      const rows = Math.min(chunk, m.rows - start);
      net.values.set(m.values.subarray(start * S, (start + rows) * S));
      net.columns.set(m.columns.subarray(start * S, (start + rows) * S));
      const out = net.run(rows);
      for (let b = 0; b < rows; b++) {
        total += zilnRowLoss(out[3 * b]!, out[3 * b + 1]!, out[3 * b + 2]!, labels[start + b]!);
      }
    }
    return total / Math.max(1, m.rows);
  }
  const weightsT = isEncoded(m)
    ? transposeWeights(layers[0]!, new Float64Array(layers[0]!.weights.length))
    : undefined;
  for (let start = 0; start < m.rows; start += chunk) {
    const rows = Math.min(chunk, m.rows - start);
    const out = forwardRows(layers, m, start, rows, acts, weightsT);
    for (let b = 0; b < rows; b++) {
      total += zilnRowLoss(out[3 * b]!, out[3 * b + 1]!, out[3 * b + 2]!, labels[start + b]!);
    }
  }
  return total / Math.max(1, m.rows);
}

/**
 * Trains a ZILN model (Wang, Liu & Miao 2019) on encoded features: the linear model (`hidden: []`) or an
 * MLP with ReLU hidden layers, by Adam (Kingma & Ba 2015) on shuffled mini-batches with decoupled weight
 * decay (Loshchilov & Hutter 2019) and early stopping on a time-based validation split; the weights of
 * the best validation epoch are kept. The analytic ZILN gradient (see `zilnRowLoss`) is back-propagated.
 * @example
 * const model = trainZiln(X, labels, { hidden: [64, 32], epochs: 20, seed: 7 });
 * const { p, mean } = predictZiln(model, Xnew);
 */
export function trainZiln(
  features: FeatureMatrix,
  labels: ArrayLike<number>,
  options: ZilnTrainOptions = {},
): ZilnModel {
  return trainRows(features, labels, options);
}

/**
 * `trainZiln` on sparse slot rows from `encodeColumns`: the same training, step for step (same seed, same
 * mini-batches, bit-identical gradients and weights), at a fraction of the cost, because the one-hot
 * first layer touches one weight per categorical feature instead of one per level. `options.validation`
 * may be dense or encoded.
 * @example
 * const E = encodeColumns(encoder, featureColumns(records, EARLY_FEATURE_SPECS));
 * const model = trainZilnEncoded(E, labels, { hidden: [64, 32], seed: 7 });
 */
export function trainZilnEncoded(
  features: EncodedFeatures,
  labels: ArrayLike<number>,
  options: ZilnEncodedTrainOptions = {},
): ZilnModel {
  return trainRows(features, labels, options);
}

/** Options of `trainZilnEncoded`: those of `trainZiln`, with a validation set in either form. */
export interface ZilnEncodedTrainOptions extends Omit<ZilnTrainOptions, "validation"> {
  readonly validation?: {
    readonly features: FeatureMatrix | EncodedFeatures;
    readonly labels: ArrayLike<number>;
  };
}

function trainRows(features: Rows, labels: ArrayLike<number>, options: ZilnEncodedTrainOptions): ZilnModel {
  checkLabels(labels, features.rows, "trainZiln");
  checkFeatures(features, "trainZiln");
  const hidden = options.hidden ?? [];
  if (!hidden.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new ValuecastError([
      issue("BAD_OPTION_VALUE", `hidden layer widths must be positive integers (got [${hidden.join(", ")}])`),
    ]);
  }
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 256));
  let lr = options.learningRate ?? (hidden.length === 0 ? 0.01 : 0.002);
  const decay = options.weightDecay ?? 1e-4;
  const patience = options.patience ?? 5;
  const rng = createRng(options.seed ?? 1);

  // time-based validation split: the last rows, unless an explicit set is given
  let train: Rows = features;
  let trainLabels: ArrayLike<number> = labels;
  let valid: Rows | undefined;
  let validLabels: ArrayLike<number> | undefined;
  if (options.validation) {
    valid = options.validation.features;
    validLabels = options.validation.labels;
    checkLabels(validLabels, valid.rows, "trainZiln validation");
    checkFeatures(valid, "trainZiln validation");
    if (valid.cols !== features.cols) {
      throw new ValuecastError([
        issue("INVALID_DATA", "validation features have a different number of columns"),
      ]);
    }
  } else {
    const nValid = Math.floor(features.rows * (options.validationFraction ?? 0.1));
    if (nValid >= 1 && features.rows - nValid >= 1) {
      const cut = features.rows - nValid;
      train = sliceAny(features, 0, cut);
      trainLabels = sliceLabels(labels, 0, cut);
      valid = sliceAny(features, cut, features.rows);
      validLabels = sliceLabels(labels, cut, labels.length);
    }
  }
  const n = train.rows;
  if (n === 0) throw new ValuecastError([issue("NOT_ENOUGH_DATA", "trainZiln: no training rows")]);
  const epochs =
    options.epochs ??
    Math.min(1000, Math.max(3, Math.ceil((hidden.length === 0 ? 5_000_000 : 4_500_000) / n)));

  const widths = [features.cols, ...hidden, 3];
  const P = parameterCount(widths);
  const params = new Float64Array(P);
  const gradBuf = new Float64Array(P);
  const layers = layerViews(params, widths);
  const grads = layerViews(gradBuf, widths);
  initialiseWeights(layers, rng);
  layers[layers.length - 1]!.bias.set(labelPriors(trainLabels, n));

  // decoupled weight decay applies to weights only: mark which flat entries are weights
  const isWeight = new Uint8Array(P);
  {
    let at = 0;
    for (const layer of layers) {
      isWeight.fill(1, at, at + layer.weights.length);
      at += layer.weights.length + layer.bias.length;
    }
  }
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  let step = 0;

  const acts = widths.slice(1).map((w) => new Float64Array(batchSize * w));
  const deltas = widths.slice(1).map((w) => new Float64Array(batchSize * w));
  const evalChunk = 1024;
  const evalActs = widths.slice(1).map((w) => new Float64Array(evalChunk * w));
  const scratch = backwardScratch(widths, batchSize);
  // the mini-batch's rows, gathered in shuffled order into one buffer of the input's form
  const batch: Rows = isEncoded(train)
    ? {
        ...train,
        rows: batchSize,
        values: new Float64Array(batchSize * train.slots),
        columns: new Int32Array(batchSize * train.slots),
      }
    : { ...train, rows: batchSize, values: new Float64Array(batchSize * features.cols) };
  const firstScratch = sparseScratch(layers[0]!);
  const firstT = new Float64Array(layers[0]!.weights.length);
  const upper = { layers: layers.slice(1), grads: grads.slice(1), deltas: deltas.slice(1) };
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Slot rows of an MLP run forward on the WebAssembly SIMD kernel when it is there (bit-identical to the
  // TypeScript passes, so the same weights come out): the batch is gathered straight into the kernel's
  // memory, and backward reads the activations there. One layout serves the mini-batches and the
  // validation chunks, so nothing else may lay out the kernel while training runs.
  const net = isEncoded(train) ? simdNetwork(layers, train.slots, Math.max(batchSize, evalChunk)) : null;
  const fwdActs = net ? net.acts : acts;
  const upperActs = fwdActs.slice(1);
  const batchValues = net ? net.values : batch.values;
  const batchColumns = net ? net.columns : isEncoded(batch) ? batch.columns : new Int32Array(0);

  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  const bestParams = new Float64Array(params);
  let since = 0;
  let stoppedEarly = false;
  let diverged = false;
  const d = isEncoded(train) ? train.slots : features.cols;
  const validNet = net && valid && isEncoded(valid) && valid.slots === d ? net : null;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffleInPlace(order, rng);
    let epochLoss = 0;
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      // copied element by element: a subarray view per row would allocate a million objects an epoch
      const from = train.values;
      const to = batchValues;
      for (let b = 0; b < rows; b++) {
        const r = order[start + b]! * d;
        for (let k = 0; k < d; k++) to[b * d + k] = from[r + k]!;
      }
      if (isEncoded(train)) {
        const cFrom = train.columns;
        const cTo = batchColumns;
        for (let b = 0; b < rows; b++) {
          const r = order[start + b]! * d;
          for (let k = 0; k < d; k++) cTo[b * d + k] = cFrom[r + k]!;
        }
      }
      let out: Float64Array;
      if (net) {
        net.load();
        out = net.run(rows);
      } else {
        out = forwardRows(
          layers,
          batch,
          0,
          rows,
          acts,
          isEncoded(batch) ? transposeWeights(layers[0]!, firstT) : undefined,
        );
      }
      const top = deltas[deltas.length - 1]!;
      for (let b = 0; b < rows; b++) {
        epochLoss += zilnRowLoss(
          out[3 * b]!,
          out[3 * b + 1]!,
          out[3 * b + 2]!,
          trainLabels[order[start + b]!]!,
          top,
          3 * b,
        );
      }
      // the objective is the batch MEAN loss
      const scale = 1 / rows;
      for (let k = 0; k < 3 * rows; k++) top[k]! *= scale;
      gradBuf.fill(0);
      if (isEncoded(batch)) {
        if (layers.length > 1) {
          backward(
            upper.layers,
            upper.grads,
            fwdActs[0]!,
            rows,
            upperActs,
            upper.deltas,
            scratch,
            deltas[0],
            net?.weightGrad,
          );
        }
        sparseBackward(layers[0]!, grads[0]!, batchValues, batchColumns, d, rows, deltas[0]!, firstScratch);
      } else {
        backward(layers, grads, batch.values, rows, acts, deltas, scratch);
      }
      step++;
      const c1 = 1 / (1 - beta1 ** step);
      const c2 = 1 / (1 - beta2 ** step);
      for (let k = 0; k < P; k++) {
        const g = gradBuf[k]!;
        const a = beta1 * m1[k]! + (1 - beta1) * g;
        const v = beta2 * m2[k]! + (1 - beta2) * g * g;
        m1[k] = a;
        m2[k] = v;
        let w = params[k]!;
        if (isWeight[k]) w -= lr * decay * w;
        params[k] = w - (lr * (a * c1)) / (Math.sqrt(v * c2) + eps);
      }
    }
    if (!Number.isFinite(epochLoss)) {
      diverged = true;
      break;
    }
    trainLoss.push(epochLoss / n);
    if (valid && validLabels) {
      const vl = meanLoss(layers, valid, validLabels, evalActs, evalChunk, validNet);
      validationLoss.push(vl);
      // an improvement must exceed rounding noise (relative 1e-9) to reset the patience count
      if (best === Number.POSITIVE_INFINITY || vl < best - 1e-9 * Math.abs(best)) {
        best = vl;
        bestEpoch = epoch;
        bestParams.set(params);
        since = 0;
      } else {
        if (++since >= patience) {
          stoppedEarly = epoch < epochs;
          break;
        }
        // no progress: mini-batch noise now dominates the step, so halve the step size (reduce on plateau)
        lr *= 0.5;
      }
    } else {
      bestEpoch = epoch;
      bestParams.set(params);
    }
  }

  const keepBest = (options.restoreBest ?? true) || diverged;
  const finalLayers = layerViews(new Float64Array(keepBest ? bestParams : params), widths);
  return {
    kind: "ziln",
    architecture: hidden.length === 0 ? "linear" : "mlp",
    featureNames: features.names,
    layers: finalLayers,
    training: {
      trainRows: n,
      validationRows: valid?.rows ?? 0,
      epochs: trainLoss.length,
      bestEpoch,
      trainLoss,
      validationLoss,
      stoppedEarly,
      diverged,
    },
  };
}

/**
 * Scores encoded features with a trained ZILN model: p = sigmoid(l_p) and mean = p * exp(mu + sigma^2/2).
 * @example const { p, mean } = predictZiln(model, encodeFeatures(encoder, records));
 */
export function predictZiln(model: ZilnModel, features: FeatureMatrix): ZilnPrediction {
  return predictRows(model, features, "predictZiln");
}

/**
 * `predictZiln` on sparse slot rows from `encodeColumns`: bit-identical predictions, without the dense
 * one-hot matrix.
 * @example const { mean } = predictZilnEncoded(model, encodeColumns(encoder, columns));
 */
export function predictZilnEncoded(model: ZilnModel, features: EncodedFeatures): ZilnPrediction {
  return predictRows(model, features, "predictZilnEncoded");
}

/** See `simdNetwork`. */
interface SimdNetwork {
  readonly values: Float64Array;
  readonly columns: Int32Array;
  /** Each layer's outputs of the last `run` (rows x outputs, row-major, as `forwardRows` writes them). */
  readonly acts: readonly Float64Array[];
  /** `backward`'s weight gradient on the kernel, for inputs in this memory (`acts`) and up to `chunk` rows. */
  readonly weightGrad: WeightGradKernel;
  load(): void;
  run(rows: number): Float64Array;
}

/**
 * A network laid out in the SIMD kernel's memory for blocks of up to `chunk` slot rows (simd.ts):
 * `values` / `columns` take a block's slot rows, `load()` copies the current weights in, `run(rows)`
 * runs the forward pass and returns the logits. Bit-identical to `forwardRows`. Null when the kernel is
 * missing or the network does not fit it: every hidden layer needs an even width (two outputs per
 * instruction); an odd output layer (the 3 logits) runs padded with a zero output. The views stay valid
 * until the next `simdNetwork` call (it may grow the memory).
 */
function simdNetwork(layers: readonly DenseLayer[], slots: number, chunk: number): SimdNetwork | null {
  const kernel = simdKernel();
  const L = layers.length;
  if (!kernel || L < 2 || !layers.slice(0, L - 1).every((l) => l.outputs % 2 === 0)) return null;
  // memory layout (bytes): per hidden layer transposed weights and bias; the block's
  // slot values and columns; one activation buffer per layer
  let at = 0;
  const take = (bytes: number): number => {
    const p = at;
    at += Math.ceil(bytes / 16) * 16;
    return p;
  };
  const S = slots;
  const placed = layers.slice(0, L - 1).map((l) => ({
    wt: take(8 * l.weights.length),
    bias: take(8 * l.outputs),
  }));
  const maxInputs = Math.max(...layers.map((l) => l.inputs));
  const maxOutputs = Math.max(...layers.map((l) => l.outputs));
  const maxWeights = Math.max(...layers.map((l) => l.weights.length));
  const vals = take(8 * chunk * S);
  const cols = take(4 * chunk * S);
  const actAt = layers.map((l) => take(8 * chunk * l.outputs));
  const last = layers[L - 1]!;
  // the output layer padded to an even width: its extra output has zero weights and bias, and is dropped
  const padW = last.outputs + (last.outputs % 2);
  const lastWtAt = take(8 * last.inputs * padW);
  const lastBiasAt = take(8 * padW);
  const padOutAt = take(8 * chunk * padW);
  // weight gradients: the batch's deltas transposed, the result, and a zero bias
  const gradDeltaAt = take(8 * chunk * maxOutputs);
  const gradOutAt = take(8 * maxWeights);
  const zeroAt = take(8 * maxInputs);
  const buffer = kernel.memory(at);
  const gradDelta = new Float64Array(buffer, gradDeltaAt, chunk * maxOutputs);
  const gradOut = new Float64Array(buffer, gradOutAt, maxWeights);
  new Float64Array(buffer, zeroAt, maxInputs).fill(0);
  const wts = placed.map((p, l) => new Float64Array(buffer, p.wt, layers[l]!.weights.length));
  const biases = placed.map((p, l) => new Float64Array(buffer, p.bias, layers[l]!.outputs));
  const acts = layers.map((l, k) => new Float64Array(buffer, actAt[k]!, chunk * l.outputs));
  const lastOut = acts[L - 1]!;
  const lastWt = new Float64Array(buffer, lastWtAt, last.inputs * padW);
  const lastBias = new Float64Array(buffer, lastBiasAt, padW);
  const padOut = new Float64Array(buffer, padOutAt, chunk * padW);
  return {
    values: new Float64Array(buffer, vals, chunk * S),
    columns: new Int32Array(buffer, cols, chunk * S),
    acts,
    weightGrad(input, deltaT, rows, inputs, outputs, gw) {
      // the input (a layer's activations) must be in this memory, still attached; the sums fit the buffers
      if (input.buffer !== buffer || rows > chunk || outputs > maxOutputs) return false;
      gradDelta.set(deltaT.subarray(0, outputs * rows));
      // out[j][i] = 0 + sum_b input[b][i] * deltaT[j][b]: the input as the "transposed weights" of a
      // dense layer whose rows are the outputs j, each with its `rows` deltas as inputs
      kernel.dense(input.byteOffset, zeroAt, gradDeltaAt, 0, 0, rows, outputs, inputs, gradOutAt, 0);
      const n = inputs * outputs;
      for (let k = 0; k < n; k++) gw[k]! += gradOut[k]!;
      return true;
    },
    load() {
      for (let l = 0; l < L - 1; l++) {
        transposeWeights(layers[l]!, wts[l]!);
        biases[l]!.set(layers[l]!.bias);
      }
      const { inputs, outputs, weights, bias } = last;
      for (let i = 0; i < inputs; i++) {
        for (let j = 0; j < outputs; j++) lastWt[i * padW + j] = weights[j * inputs + i]!;
        for (let j = outputs; j < padW; j++) lastWt[i * padW + j] = 0;
      }
      lastBias.fill(0);
      lastBias.set(bias);
    },
    run(rows) {
      for (let l = 0; l < L - 1; l++) {
        const layer = layers[l]!;
        const first = l === 0;
        (first ? kernel.layer : kernel.dense)(
          placed[l]!.wt,
          placed[l]!.bias,
          first ? vals : actAt[l - 1]!,
          first ? cols : 0,
          first ? S : 0,
          first ? S : layer.inputs,
          rows,
          layer.outputs,
          actAt[l]!,
          1,
        );
      }
      kernel.dense(lastWtAt, lastBiasAt, actAt[L - 2]!, 0, 0, last.inputs, rows, padW, padOutAt, 0);
      const K = last.outputs;
      for (let b = 0; b < rows; b++) {
        for (let j = 0; j < K; j++) lastOut[b * K + j] = padOut[b * padW + j]!;
      }
      return lastOut;
    },
  };
}

/**
 * Forward passes of slot rows on the SIMD kernel, chunk by chunk, calling `emit(out, start, rows)` with
 * each chunk's logits; false (and nothing done) when `simdNetwork` cannot take the network.
 */
function forwardSimd(
  layers: readonly DenseLayer[],
  source: SlotSource,
  chunk: number,
  emit: (out: Float64Array, start: number, rows: number) => void,
): boolean {
  const net = simdNetwork(layers, source.slots, chunk);
  if (!net) return false;
  net.load();
  for (let start = 0; start < source.rows; start += chunk) {
    const rows = Math.min(chunk, source.rows - start);
    source.write(start, start + rows, net.values, net.columns);
    emit(net.run(rows), start, rows);
  }
  return true;
}

/**
 * Slot rows produced on demand, a chunk at a time (`slotWriter`): scoring a million customers then
 * never holds their encoded matrix, only one chunk of it. `write` must check nothing; the scorer
 * checks each chunk as `predictZiln` checks a whole matrix.
 */
export interface SlotSource {
  readonly rows: number;
  /** Dense columns the slots index (the model's input width). */
  readonly cols: number;
  readonly names: readonly string[];
  readonly slots: number;
  write(from: number, to: number, values: Float64Array, columns: Int32Array): void;
}

/** The slot rows of an encoded matrix as a `SlotSource` (copies chunks out of it). */
function encodedSource(m: EncodedFeatures): SlotSource {
  const S = m.slots;
  return {
    rows: m.rows,
    cols: m.cols,
    names: m.names,
    slots: S,
    write(from, to, values, columns) {
      values.set(m.values.subarray(from * S, to * S));
      columns.set(m.columns.subarray(from * S, to * S));
    },
  };
}

/**
 * Scores slot rows written chunk by chunk (see `SlotSource`): bit-identical to `predictZilnEncoded`
 * on the whole encoded matrix, with memory for one chunk. Uses the WebAssembly SIMD kernel when the
 * runtime has it (simd.ts), else the TypeScript loops.
 * @example const { mean } = predictZilnSlots(model, { ...shape, write: slotWriter(encoder, columns) });
 */
export function predictZilnSlots(model: ZilnModel, source: SlotSource): ZilnPrediction {
  const inputs = model.layers[0]?.inputs ?? 0;
  if (source.cols !== inputs) {
    throw new ValuecastError([
      issue("INVALID_DATA", `the model expects ${inputs} feature columns, got ${source.cols}`),
    ]);
  }
  const chunk = 1024;
  const n = source.rows;
  const S = source.slots;
  const p = new Float64Array(n);
  const mean = new Float64Array(n);
  const emit = (out: Float64Array, start: number, rows: number): void => {
    for (let b = 0; b < rows; b++) {
      const pb = sigmoid(out[3 * b]!);
      p[start + b] = pb;
      mean[start + b] = zilnMeanOf(pb, out[3 * b + 1]!, out[3 * b + 2]!);
    }
  };
  const checked: SlotSource = {
    ...source,
    write(from, to, values, columns) {
      source.write(from, to, values, columns);
      const rows = to - from;
      checkFeatures(
        {
          rows,
          cols: source.cols,
          names: source.names,
          slots: S,
          values: values.subarray(0, rows * S),
          columns: columns.subarray(0, rows * S),
        },
        "predictZiln",
        from,
      );
    },
  };
  if (forwardSimd(model.layers, checked, chunk, emit)) return { p, mean };
  const acts = model.layers.map((l) => new Float64Array(chunk * l.outputs));
  const first = model.layers[0]!;
  const weightsT = transposeWeights(first, new Float64Array(first.weights.length));
  const block: EncodedFeatures = {
    rows: chunk,
    cols: source.cols,
    names: source.names,
    slots: S,
    values: new Float64Array(chunk * S),
    columns: new Int32Array(chunk * S),
  };
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    checked.write(start, start + rows, block.values, block.columns);
    emit(forwardRows(model.layers, block, 0, rows, acts, weightsT), start, rows);
  }
  return { p, mean };
}

function predictRows(model: ZilnModel, features: Rows, what: string): ZilnPrediction {
  const inputs = model.layers[0]?.inputs ?? 0;
  if (features.cols !== inputs) {
    throw new ValuecastError([
      issue("INVALID_DATA", `the model expects ${inputs} feature columns, got ${features.cols}`),
    ]);
  }
  checkFeatures(features, what);
  const chunk = 1024;
  const p = new Float64Array(features.rows);
  const mean = new Float64Array(features.rows);
  const emit = (out: Float64Array, start: number, rows: number): void => {
    for (let b = 0; b < rows; b++) {
      const pb = sigmoid(out[3 * b]!);
      p[start + b] = pb;
      mean[start + b] = zilnMeanOf(pb, out[3 * b + 1]!, out[3 * b + 2]!);
    }
  };
  if (isEncoded(features)) {
    // checked whole above; the SIMD kernel (when present) runs it chunk by chunk
    if (forwardSimd(model.layers, encodedSource(features), chunk, emit)) return { p, mean };
  }
  const acts = model.layers.map((l) => new Float64Array(chunk * l.outputs));
  const first = model.layers[0]!;
  const weightsT = isEncoded(features)
    ? transposeWeights(first, new Float64Array(first.weights.length))
    : undefined;
  for (let start = 0; start < features.rows; start += chunk) {
    const rows = Math.min(chunk, features.rows - start);
    emit(forwardRows(model.layers, features, start, rows, acts, weightsT), start, rows);
  }
  return { p, mean };
}
