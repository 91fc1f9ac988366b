import { issue, ValuecastError } from "../errors/issues.ts";
import { type FeatureColumns, featureColumns, selectColumns } from "./columns.ts";
import type { EarlyColumnarDataset } from "./early-columns.ts";
import {
  EARLY_FEATURE_READERS,
  EARLY_FEATURE_SPECS,
  type EarlyCustomer,
  type EarlyDataset,
  splitEarlyByCohort,
} from "./early-features.ts";
import { encodeColumns, fitEncoderColumns, slotWriter } from "./encode-columns.ts";
import type { FeatureEncoder, FeatureRecord, FeatureSpec } from "./encoder.ts";
import { type ZilnModelJson, zilnModelFromJson, zilnModelToJson } from "./serialize.ts";
import {
  predictZilnSlots,
  trainZilnEncoded,
  type ZilnModel,
  type ZilnPrediction,
  type ZilnTrainOptions,
} from "./train.ts";

/** An early-value model: the encoder fitted on the training cohorts and the ZILN network. Plain data. */
export interface EarlyValueModel {
  readonly kind: "early-ziln";
  readonly encoder: FeatureEncoder;
  readonly ziln: ZilnModel;
}

/** Options of `trainEarlyModel`: the feature specs (default `EARLY_FEATURE_SPECS`) and ZILN training options. */
export interface EarlyTrainOptions extends ZilnTrainOptions {
  readonly specs?: readonly FeatureSpec[];
}

/** The raw features of customers or of bare records, in the given order. */
function recordsOf(customers: readonly (EarlyCustomer | FeatureRecord)[]): FeatureRecord[] {
  return customers.map((c) =>
    "features" in c && typeof c.features === "object" ? (c as EarlyCustomer).features : (c as FeatureRecord),
  );
}

/**
 * Fits the feature encoder on the training customers only, then trains a ZILN model on their labels.
 * Pass customers in acquisition order (as `splitEarlyByCohort` returns them): the last
 * `validationFraction` of them, the newest cohorts, drive early stopping. Runs on the columnar path
 * (`trainEarlyModelColumns`), which gives exactly the model the dense one-hot path gives.
 * @example const model = trainEarlyModel(split.train, { hidden: [64, 32], seed: 1 });
 */
export function trainEarlyModel(
  train: readonly EarlyCustomer[],
  options: EarlyTrainOptions = {},
): EarlyValueModel {
  if (train.length === 0) throw new ValuecastError([issue("NOT_ENOUGH_DATA", "no training customers")]);
  const specs = options.specs ?? EARLY_FEATURE_SPECS;
  const columns = featureColumns(recordsOf(train), specs, EARLY_FEATURE_READERS);
  const labels = new Float64Array(train.length);
  for (let i = 0; i < train.length; i++) labels[i] = train[i]!.label;
  return trainEarlyModelColumns(columns, labels, options);
}

/**
 * `trainEarlyModel` on feature columns (e.g. from `buildEarlyColumns`) and their labels: fits the encoder
 * on these rows, encodes them in slot form and trains the ZILN model without a dense one-hot matrix.
 * @example const model = trainEarlyModelColumns(ds.columns, ds.label, { seed: 1 });
 */
export function trainEarlyModelColumns(
  columns: FeatureColumns,
  labels: ArrayLike<number>,
  options: EarlyTrainOptions = {},
): EarlyValueModel {
  if (columns.rows === 0) throw new ValuecastError([issue("NOT_ENOUGH_DATA", "no training customers")]);
  const encoder = fitEncoderColumns(columns, options.specs ?? EARLY_FEATURE_SPECS);
  const X = encodeColumns(encoder, columns);
  return { kind: "early-ziln", encoder, ziln: trainZilnEncoded(X, labels, options) };
}

/**
 * Scores customers (or raw feature records) with an early-value model: P(any value in the horizon) and
 * the expected value over the horizon. Runs on the columnar path (`scoreEarlyColumns`), identical results.
 * @example const { mean } = scoreEarly(model, split.test);
 */
export function scoreEarly(
  model: EarlyValueModel,
  customers: readonly (EarlyCustomer | FeatureRecord)[],
): ZilnPrediction {
  const specs: FeatureSpec[] = model.encoder.features.map((f) =>
    f.kind === "categorical" ? { name: f.name, kind: "categorical" } : { name: f.name, kind: f.kind },
  );
  return scoreEarlyColumns(model, featureColumns(recordsOf(customers), specs, EARLY_FEATURE_READERS));
}

/**
 * Scores feature columns with an early-value model: categories are matched to the encoder's columns
 * once per distinct label, and the first layer reads one weight per feature (see `predictZilnEncoded`).
 * @example const { p, mean } = scoreEarlyColumns(model, buildEarlyColumns(tx).columns);
 */
export function scoreEarlyColumns(model: EarlyValueModel, columns: FeatureColumns): ZilnPrediction {
  // encoded a chunk at a time as the forward pass goes: a million rows never exist as one slot matrix
  return predictZilnSlots(model.ziln, {
    rows: columns.rows,
    cols: model.encoder.names.length,
    names: model.encoder.names,
    slots: model.encoder.features.length,
    write: slotWriter(model.encoder, columns),
  });
}

/** JSON-ready form of an early-value model (`JSON.stringify` it). */
export interface EarlyValueModelJson {
  readonly kind: "early-ziln";
  readonly encoder: FeatureEncoder;
  readonly ziln: ZilnModelJson;
}

/**
 * Converts an early-value model to JSON-ready data.
 * @example JSON.stringify(earlyModelToJson(model))
 */
export function earlyModelToJson(model: EarlyValueModel): EarlyValueModelJson {
  return { kind: "early-ziln", encoder: model.encoder, ziln: zilnModelToJson(model.ziln) };
}

/**
 * Rebuilds an early-value model from `earlyModelToJson` output.
 * @example const model = earlyModelFromJson(JSON.parse(text));
 */
export function earlyModelFromJson(json: EarlyValueModelJson): EarlyValueModel {
  if (json?.kind !== "early-ziln")
    throw new ValuecastError([issue("INVALID_DATA", "not an early-value model file")]);
  return { kind: "early-ziln", encoder: json.encoder, ziln: zilnModelFromJson(json.ziln) };
}

/** One newly acquired customer's early score. */
export interface EarlyScore {
  readonly customerId: string;
  /** Instant of the first purchase (epoch ms). */
  readonly firstAt: number;
  /** Probability of any value in the horizon. */
  readonly pAny: number;
  /** Expected value over the horizon, p * exp(mu + sigma^2/2). */
  readonly expectedValue: number;
}

/**
 * The production use: train on every customer whose horizon is fully observed and score the customers
 * whose observation window has closed but whose horizon has not (the newest cohorts). Throws
 * NOT_ENOUGH_DATA when no customer's horizon is observed yet.
 * @example const { scores } = scoreNewCustomers(buildEarlyDataset(tx, { days: 7 }), { seed: 1 });
 */
export function scoreNewCustomers(
  dataset: EarlyDataset,
  options: EarlyTrainOptions = {},
): { readonly model: EarlyValueModel; readonly scores: readonly EarlyScore[] } {
  const { train, test } = splitEarlyByCohort(dataset);
  if (train.length === 0) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        `no customer's ${dataset.horizonDays}-day horizon is fully observed yet, so there is nothing to learn from`,
      ),
    ]);
  }
  const model = trainEarlyModel(train, options);
  const { p, mean } = scoreEarly(model, test);
  const scores = test.map((c, i) => ({
    customerId: c.customerId,
    firstAt: c.firstAt,
    pAny: p[i]!,
    expectedValue: mean[i]!,
  }));
  return { model, scores };
}

/** Early scores of the newest customers of a columnar data set, row i for customer `customerIds[i]`. */
export interface EarlyScoreColumns {
  readonly customerIds: readonly string[];
  readonly firstAt: Float64Array;
  readonly pAny: Float64Array;
  readonly expectedValue: Float64Array;
}

/**
 * `scoreNewCustomers` on a columnar data set (`buildEarlyColumns`): trains on every customer whose
 * horizon is observed and scores those whose window has closed but whose horizon has not, without a
 * record object per customer. Same model and scores as `scoreNewCustomers` on `buildEarlyDataset`.
 * @example const { scores } = scoreNewCustomersColumns(buildEarlyColumns(tx, { days: 7 }), { seed: 1 });
 */
export function scoreNewCustomersColumns(
  dataset: EarlyColumnarDataset,
  options: EarlyTrainOptions = {},
): { readonly model: EarlyValueModel; readonly scores: EarlyScoreColumns } {
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let r = 0; r < dataset.labelObserved.length; r++) {
    (dataset.labelObserved[r] === 1 ? trainRows : testRows).push(r);
  }
  if (trainRows.length === 0) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        `no customer's ${dataset.horizonDays}-day horizon is fully observed yet, so there is nothing to learn from`,
      ),
    ]);
  }
  const labels = new Float64Array(trainRows.length);
  for (let i = 0; i < trainRows.length; i++) labels[i] = dataset.label[trainRows[i]!]!;
  const model = trainEarlyModelColumns(selectColumns(dataset.columns, trainRows), labels, options);
  const { p, mean } = scoreEarlyColumns(model, selectColumns(dataset.columns, testRows));
  return {
    model,
    scores: {
      customerIds: testRows.map((r) => dataset.customerIds[r]!),
      firstAt: Float64Array.from(testRows, (r) => dataset.firstAt[r]!),
      pAny: p,
      expectedValue: mean,
    },
  };
}
