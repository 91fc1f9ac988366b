// Learned early-lifecycle value models: the ZILN loss, feature encoding, linear and MLP training.

export {
  type CategoryColumn,
  type CategoryDictionary,
  categoryDictionary,
  type FeatureColumns,
  type FeatureReader,
  featureColumns,
  selectColumns,
  sliceColumns,
} from "./columns.ts";
export { buildEarlyColumns, type EarlyColumnarDataset, earlyCustomersOf } from "./early-columns.ts";
export {
  buildEarlyDataset,
  EARLY_FEATURE_READERS,
  EARLY_FEATURE_SPECS,
  type EarlyCustomer,
  type EarlyDataset,
  type EarlyFeatureOptions,
  type EarlyFeatures,
  type EarlySplit,
  type EarlySplitOptions,
  splitEarlyByCohort,
} from "./early-features.ts";
export {
  type EarlyScore,
  type EarlyScoreColumns,
  type EarlyTrainOptions,
  type EarlyValueModel,
  type EarlyValueModelJson,
  earlyModelFromJson,
  earlyModelToJson,
  scoreEarly,
  scoreEarlyColumns,
  scoreNewCustomers,
  scoreNewCustomersColumns,
  trainEarlyModel,
  trainEarlyModelColumns,
} from "./early-model.ts";
export {
  type EncodedFeatures,
  encodeColumns,
  fitEncoderColumns,
  type SlotWriter,
  sliceEncoded,
  slotWriter,
} from "./encode-columns.ts";
export {
  type CategoricalEncoding,
  encodeFeatures,
  type FeatureEncoder,
  type FeatureRecord,
  type FeatureSpec,
  type FeatureValue,
  fitEncoder,
  MISSING_LEVEL,
  type NumericEncoding,
  OTHER_LEVEL,
} from "./encoder.ts";
export {
  compareEarlyPredictions,
  type EarlyComparisonRow,
  type EarlyEvaluation,
  type EarlyMetrics,
  type EvaluateEarlyOptions,
  type ExtraEarlyPredictor,
  evaluateEarly,
} from "./evaluate-early.ts";
export { type FeatureMatrix, featureMatrix, sliceRows } from "./matrix.ts";
export type { DenseLayer } from "./network.ts";
export { shuffleInPlace, type UniformSource } from "./rng.ts";
export { type ZilnModelJson, zilnModelFromJson, zilnModelToJson } from "./serialize.ts";
export {
  predictZiln,
  predictZilnEncoded,
  predictZilnSlots,
  type SlotSource,
  trainZiln,
  trainZilnEncoded,
  type ZilnEncodedTrainOptions,
  type ZilnModel,
  type ZilnPrediction,
  type ZilnTrainingReport,
  type ZilnTrainOptions,
} from "./train.ts";
export {
  inverseSoftplus,
  sigmoid,
  softplus,
  ZILN_SIGMA_MAX,
  ZILN_SIGMA_MIN,
  zilnLosses,
  zilnMean,
  zilnRowLoss,
} from "./ziln.ts";
