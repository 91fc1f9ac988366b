// @valuecast/web: the rendering layer (browser), the report and the dashboard assets (Node).

export { API_ROUTES, ApiError, issuesOf } from "./api.ts";
export { type Asset, type DashboardOptions, dashboardHtml, loadDashboardAssets } from "./assets.ts";
export { buildReportInput, type ReportOptions } from "./build-input.ts";
export { bundleEntry, type Entry } from "./bundle.ts";
export { renderReport } from "./report.ts";
export type { CustomerCard, OverviewData, QualityData, ReportInput, SegmentsData } from "./types.ts";
