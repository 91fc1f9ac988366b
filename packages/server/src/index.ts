// @valuecast/server: the HTTP API (Hono). `createApp(deps)` never listens; `startServer` does (valuecast serve).
export { createApp } from "./app.ts";
export { type ApiKeyRecord, generateApiKey, hashApiKey, presentedKey, verifyApiKey } from "./auth.ts";
export { type EvaluateReport, evaluateModels } from "./compose/backtest.ts";
export { modelCurves } from "./compose/curves.ts";
export { type DashboardBuilder, storedDashboard } from "./compose/dashboard.ts";
export { type IngestOptions, ingestSource, readTransactions } from "./compose/ingest.ts";
export {
  type FittedModelJson,
  fitCustomers,
  type ModelDocument,
  modelDocument,
  observedRfm,
  PURCHASE_MODEL_NAMES,
  purchaseModel,
} from "./compose/models.ts";
export { registerDataset } from "./compose/register.ts";
export {
  DEFAULT_SCORE_SETTINGS,
  type ScoreRow,
  type ScoreSettings,
  scoreRow,
  scoreWithDocument,
} from "./compose/scoring.ts";
export type { AppDeps, DashboardInput } from "./context.ts";
export { parseContactsCsv } from "./routes/datasets.ts";
export { EXPORT_FORMATS } from "./routes/exports.ts";
export { type RunningServer, type StartOptions, startServer } from "./start.ts";
export {
  type DatasetInfo,
  type ModelInfo,
  openWorkspace,
  type Workspace,
  type WorkspaceOptions,
} from "./workspace/workspace.ts";
