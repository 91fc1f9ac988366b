export { chiSquareUpperTail } from "./chi-square.ts";
export {
  type CovariateDesign,
  type CovariateGroups,
  type CovariateMatrix,
  type CovariateSelection,
  compressCovariateDesign,
  covariateDesign,
  covariateGroups,
  designRfm,
  subsampleCovariateDesign,
  validateCovariateDesign,
} from "./design.ts";
export {
  type ColumnEncoding,
  type CovariateColumn,
  type CovariateTable,
  type EncodedCovariates,
  encodeCovariateRow,
  encodeCovariates,
} from "./encode.ts";
export {
  type CoefficientTest,
  type CovariateFit,
  type CovariateFitOptions,
  fitCovariateModel,
} from "./fit.ts";
export {
  COVARIATE_BASE_PARAMS,
  type CovariateModelName,
  covariateLogLikelihood,
  individualParamsInto,
} from "./likelihood.ts";
export {
  covariateIndividualParams,
  covariatePredictor,
  newCustomerValue,
  scoreCustomersWithCovariates,
} from "./predict.ts";
export { type CovariatePenalty, covariateParamNames, covariateSpec } from "./spec.ts";
