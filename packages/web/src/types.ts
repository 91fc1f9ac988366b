import type {
  BudgetScenario,
  ChannelReport,
  CohortTable,
  CustomerProfile,
  ForecastIntervals,
  LifecycleResult,
  RevenueForecast,
  ScoreHistogram,
  ValueTier,
} from "@valuecast/core";

/** Headline figures of the overview page. Money is in the data's currency. @example input.overview.averageClv */
export interface OverviewData {
  readonly customers: number;
  readonly historicRevenue: number;
  /** Predicted revenue over the next 12 months (sum of expected spend x expected purchases). */
  readonly predictedRevenue: number;
  /** Central interval of the predicted revenue (from parameter draws), when computed. */
  readonly predictedRevenueInterval: {
    readonly level: number;
    readonly lower: number;
    readonly upper: number;
  } | null;
  readonly averageClv: number;
  readonly horizonLabel: string;
  readonly model: string;
  readonly calibrationEnd: string;
}

/** One customer for the lookup page: the core profile plus the purchase days (ISO) and amounts. @example input.customers[0]?.profile.totalClv */
export interface CustomerCard {
  readonly profile: CustomerProfile;
  readonly purchases: readonly { readonly date: string; readonly amount: number }[];
}

/** Holdout quality of the model (the shapes of `valuecast evaluate --json`, one model). @example input.quality?.metrics.mae */
export interface QualityData {
  readonly model: string;
  readonly tracking: readonly {
    readonly period: number;
    readonly actual: number | null;
    readonly expected: number;
  }[];
  readonly buckets: readonly {
    readonly frequency: string;
    readonly customers: number;
    readonly actual: number;
    readonly predicted: number;
  }[];
  readonly metrics: {
    readonly mae: number;
    readonly rmse: number;
    readonly correlation: number | null;
    readonly predictedTotal: number;
    readonly actualTotal: number;
    readonly totalError: number | null;
  };
}

/** The segments page: the P(alive) histogram with exact confusion at each bin edge (the slider), tiers, lifecycle. @example input.segments.pAlive.atEdges[10]?.flagged */
export interface SegmentsData {
  readonly pAlive: ScoreHistogram;
  readonly tiers: readonly ValueTier[];
  readonly valueBasis: "clv" | "expected_purchases";
  readonly lifecycle: Pick<LifecycleResult, "counts" | "shares" | "rules"> | null;
}

/**
 * Everything the report and the dashboard show, already aggregated (no per-customer arrays beyond the few
 * customers of `customers`). Each part is null when it could not be computed; `notes` says why.
 * @example renderReport(buildReportInput(transactions))
 */
export interface ReportInput {
  readonly title: string;
  readonly generatedAt: string;
  readonly currency: string;
  readonly overview: OverviewData;
  readonly segments: SegmentsData;
  readonly cohorts: CohortTable | null;
  readonly channels: ChannelReport | null;
  readonly budget: BudgetScenario | null;
  readonly forecast:
    | (RevenueForecast & {
        readonly intervals: ForecastIntervals | null;
        /** Revenue actually observed in each forecast period (a holdout), null past the end of the data. */
        readonly actualRevenue?: readonly (number | null)[];
      })
    | null;
  readonly quality: QualityData | null;
  /** A handful of customers (e.g. the top by CLV) for the lookup page of the offline report. */
  readonly customers: readonly CustomerCard[];
  readonly notes: readonly string[];
}
