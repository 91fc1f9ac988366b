import {
  type BudgetChannel,
  type BudgetScenario,
  bgnbdModel,
  budgetScenario,
  type CetGrid,
  type ChannelReport,
  type CohortTable,
  cetGrid,
  cetLayout,
  channelEconomics,
  cohortTable,
  convertDuration,
  tracking as coreTracking,
  createRng,
  customerHistories,
  customerProfile,
  customerSummaries,
  DAYS_PER_UNIT,
  type Duration,
  dayOf,
  dayToIsoDate,
  expectedTracking,
  fitModel,
  forecastIntervals,
  frequencyBuckets,
  gammaGammaPredictor,
  gammaGammaSpec,
  type HistoriesResult,
  holdoutErrors,
  holdoutPredictions,
  isoDateToDay,
  lifecycleStates,
  normal,
  normalizeCustomerId,
  observedRfm,
  type PurchasePredictor,
  parameterDraws,
  periodIndex,
  type RfmData,
  repeatOccasionsPerPeriod,
  revenueForecast,
  type SpendRow,
  type SummaryColumns,
  scoreCustomers,
  scoreHistogram,
  summarizeTransactions,
  type TimeUnit,
  type Transaction,
  toRfmData,
  toSpendData,
  valueTiers,
} from "@valuecast/core";
import type { CustomerCard, QualityData, ReportInput } from "./types.ts";

/** What `buildReportInput` needs besides the transactions. @example buildReportInput(tx, { calibrationEnd: "1997-09-30", currency: "$" }) */
export interface ReportOptions {
  /** Last day of calibration (YYYY-MM-DD); days after it form the holdout for the model-quality page. */
  readonly calibrationEnd?: string;
  /** Model time unit; default "week". */
  readonly timeUnit?: TimeUnit;
  /** Annual discount rate for CLV; default 0.1. */
  readonly discountRate?: number;
  /** Margin on revenue for CLV; default 1 (revenue). */
  readonly margin?: number;
  readonly title?: string;
  /** Shown before money amounts, e.g. "$"; default "". */
  readonly currency?: string;
  /** Parameter draws for the intervals; default 100 (0: no intervals). */
  readonly draws?: number;
  /** How many top customers (by CLV) to embed for the lookup page; default 25. */
  readonly topCustomers?: number;
  /** Acquisition spend rows (CAC); with channels on the transactions they fill the channels page. */
  readonly spend?: readonly SpendRow[];
  /** Budget scenario: total budget, proposed shares (default: the observed spend mix), diminishing-returns exponent. */
  readonly budget?: {
    readonly total: number;
    readonly shares?: Readonly<Record<string, number>>;
    readonly exponent?: number;
  };
  /** ISO timestamp written in the report; default now. */
  readonly generatedAt?: string;
}

const HORIZON: Duration = { value: 12, unit: "month" };

/**
 * Composes the report's results from core functions on an in-memory transaction log: summaries, a BG/NBD +
 * Gamma-Gamma fit, 12-month scores (CLV discounted), P(alive) histogram, tiers, lifecycle, cohorts with 6
 * forecast months, a 12-month forecast with parameter-draw intervals, the holdout backtest (when the
 * calibration end is before the last day), and the top customers' profiles. Channels are left null (the
 * CLI fills them when it has channel and spend data).
 * @example renderReport(buildReportInput(transactions, { calibrationEnd: "1997-09-30", currency: "$" }))
 */
export function buildReportInput(
  transactions: readonly Transaction[],
  options: ReportOptions = {},
): ReportInput {
  const timeUnit = options.timeUnit ?? "week";
  const notes: string[] = [];
  // Duplicate rows are only counted for the summary's report, which the document does not show: not
  // looking for them keeps 2.5 million row keys out of memory at a million customers (same columns).
  const { columns } = summarizeTransactions(transactions, {
    timeUnit,
    duplicates: "ignore",
    ...(options.calibrationEnd ? { calibrationEnd: options.calibrationEnd } : {}),
  });
  const n = columns.length;
  const rfm = toRfmData(columns);
  // Customers first seen on the last day (T = 0) are left out of the fit as the CLI does (they are scored).
  const observed = observedRfm(rfm);
  if (observed.leftOut > 0)
    notes.push(`${observed.leftOut} customers first seen on the last day are left out of the fit (T = 0).`);
  const fit = fitModel(bgnbdModel.spec, observed.rfm, { timeUnit });
  const predictor = bgnbdModel.predictor(fit.params);
  let gg: ReturnType<typeof fitModel> | null = null;
  try {
    gg = fitModel(gammaGammaSpec, toSpendData(columns), { timeUnit });
  } catch {
    notes.push("The Gamma-Gamma spend model could not be fitted; the mean order value is used instead.");
  }
  let meanSpend = 0;
  {
    let s = 0;
    let k = 0;
    for (let i = 0; i < n; i++)
      if (columns.x[i]! > 0 && columns.monetary[i]! > 0) {
        s += columns.monetary[i]!;
        k++;
      }
    meanSpend = k > 0 ? s / k : 0;
  }
  const horizon = convertDuration(HORIZON, timeUnit);
  const clvOptions = {
    horizon,
    discountRate: options.discountRate ?? 0.1,
    timeUnit,
    margin: options.margin ?? 1,
  };
  const scoreWith = (p: PurchasePredictor, ggParams: Readonly<Record<string, number>> | null) =>
    scoreCustomers(
      p,
      ggParams ? gammaGammaPredictor(ggParams) : meanSpend,
      { x: rfm.x, t_x: rfm.t_x, T: rfm.T, zbar: columns.monetary },
      clvOptions,
    );
  const scores = scoreWith(predictor, gg?.params ?? null);
  const predictedRevenueOf = (s: ReturnType<typeof scoreWith>) => {
    let t = 0;
    for (let i = 0; i < n; i++) t += s.expectedSpend[i]! * s.expectedPurchases[i]!;
    return t;
  };
  let historic = 0;
  let clvSum = 0;
  for (let i = 0; i < n; i++) {
    historic += columns.historicRevenue[i]!;
    clvSum += scores.clv[i]!;
  }

  // Parameter draws (from the fitted covariance): each draw re-forecasts every customer and keeps only the
  // totals (draws x periods numbers). The overview's interval is the forecast's 12-month total interval:
  // the same quantity (sum of expected spend x E[X(12 months)]), so it needs no scoring of its own.
  const drawCount = options.draws ?? 100;
  const rng = createRng(1);
  const std = () => normal(rng);
  const pDraws = drawCount > 0 ? parameterDraws(fit, drawCount, std).draws : [];
  const gDraws = drawCount > 0 && gg ? parameterDraws(gg, drawCount, std).draws : [];

  const lifecycle = lifecycleStates(columns, timeUnit, scores.pAlive);
  const tiers = valueTiers(scores.clv);
  const calibrationEnd = columns.calibrationEnd;
  const histories = customerHistories(transactions, { end: calibrationEnd });
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) indexOf.set(columns.customerId[i]!, i);
  const days = DAYS_PER_UNIT[timeUnit];
  // Customers grouped by distinct (x, T) and (x, t_x, T), once: the cohort forecast, the forecast and
  // every parameter draw evaluate the model per group, with each customer's value exactly as before.
  const layout = cetLayout(rfm);
  const grid = cetGrid(predictor, layout);
  const cohorts = cohortsWithForecast(histories, grid, scores.expectedSpend, indexOf, days);

  // Forecast: 12 months of existing-customer revenue, intervals from the same draws.
  const periodLength = convertDuration({ value: 1, unit: "month" }, timeUnit);
  const forecastFor = (g: CetGrid, expectedSpend: Float64Array) =>
    revenueForecast({
      timeUnit,
      periodLength,
      periods: 12,
      startDate: calibrationEnd,
      existing: { kind: "grid", grid: g, expectedSpend },
    });
  const forecast = forecastFor(grid, scores.expectedSpend);
  const drawSpend = new Float64Array(n);
  const drawAlive = new Float64Array(n);
  const fIntervals =
    pDraws.length > 1
      ? forecastIntervals(Math.min(pDraws.length, 40), (d) => {
          const ggd = gDraws[d] ? gammaGammaPredictor(gDraws[d]!) : null;
          if (ggd)
            for (let i = 0; i < n; i++)
              drawSpend[i] = ggd.conditionalExpectedSpend(rfm.x[i]!, columns.monetary[i]!);
          else drawSpend.set(scores.expectedSpend);
          return forecastFor(
            cetGrid(bgnbdModel.predictor(pDraws[d]!), layout, drawAlive),
            drawSpend,
          ).periods.map((q) => q.totalRevenue);
        })
      : null;

  // Top customers for the lookup page.
  // Every line up to the last day: the calibration histories again when nothing lies after the calibration
  // end (no holdout), else built anew.
  const all = sameAsUnbounded(transactions, histories) ? histories : customerHistories(transactions, {});
  const top = topIndicesByDescending(scores.clv, options.topCustomers ?? 25);
  const summaries = customerSummaries(pickColumns(columns, top));
  const topIds = new Set(summaries.map((s) => s.customer_id));
  const purchasesOf = new Map(
    all.histories.filter((h) => topIds.has(h.customerId)).map((h) => [h.customerId, h]),
  );
  const customers: CustomerCard[] = top.map((i, j) => {
    const s = summaries[j]!;
    const h = purchasesOf.get(s.customer_id);
    return {
      profile: customerProfile(
        s,
        {
          pAlive: scores.pAlive[i]!,
          expectedPurchases: scores.expectedPurchases[i]!,
          expectedSpend: scores.expectedSpend[i]!,
          predictedClv: scores.clv[i]!,
          conditionalExpectedPurchases: (t) =>
            predictor.conditionalExpectedPurchases(t, rfm.x[i]!, rfm.t_x[i]!, rfm.T[i]!),
        },
        { timeUnit, horizon: HORIZON },
      ),
      purchases: h
        ? h.revenueDays.map((d, j) => ({ date: dayToIsoDate(d), amount: h.revenueAmounts[j]! }))
        : [],
    };
  });

  // Revenue observed after the calibration end, per forecast period (whole periods inside the data only).
  const calDay = isoDateToDay(calibrationEnd) ?? all.endDay;
  const periodDays = periodLength * days;
  const actualRevenue: (number | null)[] = forecast.periods.map((_p, k) =>
    calDay + (k + 1) * periodDays <= all.endDay ? 0 : null,
  );
  for (const h of all.histories)
    for (let j = 0; j < h.revenueDays.length; j++) {
      // a purchase on day d is d - calDay days after the calibration end (as summaries count days)
      const k = Math.ceil((h.revenueDays[j]! - calDay) / periodDays) - 1;
      if (h.revenueDays[j]! > calDay && k < actualRevenue.length && actualRevenue[k] !== null)
        actualRevenue[k] = actualRevenue[k]! + h.revenueAmounts[j]!;
    }
  const quality = columns.holdout
    ? backtest(columns.holdout, rfm, predictor, all, histories, indexOf, days)
    : null;
  if (!quality)
    notes.push(
      "No holdout period: give a calibration end before the last day to see the model-quality page.",
    );
  let channels: ChannelReport | null = null;
  let budget: BudgetScenario | null = null;
  if (options.spend && options.spend.length > 0) {
    const clvOf = (id: string) => {
      const i = indexOf.get(id) ?? indexOf.get(normalizeCustomerId(id) ?? id);
      return i === undefined ? undefined : scores.clv[i];
    };
    channels = channelEconomics(histories, {
      spend: options.spend,
      margin: options.margin ?? 1,
      predictedClv: clvOf,
      curve: {
        timeUnit,
        expectedRepeatPurchases: (t) => predictor.expectedPurchases(t),
        spendPerOrder: gg ? gammaGammaPredictor(gg.params).populationMeanSpend : meanSpend,
      },
    });
    if (options.budget) budget = budgetFor(channels, options.budget);
  } else notes.push("No channel or spend data was given: the channels page is empty.");
  return {
    title: options.title ?? "Customer value report",
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    currency: options.currency ?? "",
    overview: {
      customers: n,
      historicRevenue: historic,
      predictedRevenue: predictedRevenueOf(scores),
      predictedRevenueInterval: fIntervals
        ? { level: fIntervals.level, lower: fIntervals.total.lower, upper: fIntervals.total.upper }
        : null,
      averageClv: n > 0 ? clvSum / n : 0,
      horizonLabel: "next 12 months",
      model: gg ? "BG/NBD + Gamma-Gamma" : "BG/NBD",
      calibrationEnd,
    },
    segments: {
      pAlive: scoreHistogram(scores.pAlive, 20),
      tiers: tiers.tiers,
      valueBasis: "clv",
      lifecycle: { counts: lifecycle.counts, shares: lifecycle.shares, rules: lifecycle.rules },
    },
    cohorts,
    channels,
    budget,
    forecast: {
      ...forecast,
      intervals: fIntervals,
      ...(actualRevenue.some((v) => v !== null) ? { actualRevenue } : {}),
    },
    quality,
    customers,
    notes,
  };
}

/**
 * Whether `customerHistories(transactions, {})` would give exactly `bounded` (built with an end day): nothing
 * was after that end, and the last day with a valid time is that end.
 */
function sameAsUnbounded(transactions: readonly Transaction[], bounded: HistoriesResult): boolean {
  if (bounded.linesAfterEnd > 0) return false;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of transactions) if (Number.isFinite(t.at)) last = Math.max(last, dayOf(t.at));
  return (Number.isFinite(last) ? last : 0) === bounded.endDay;
}

/**
 * The first k indices of a stable sort by `values` descending (ties in index order), without sorting all
 * of them: one pass keeping the best k. Falls back to the full sort when a value is NaN (its comparator
 * order is the sort's own).
 */
function topIndicesByDescending(values: Float64Array, k: number): number[] {
  const n = values.length;
  const byDescending = (a: number, b: number) => values[b]! - values[a]!;
  if (values.some((v) => Number.isNaN(v)))
    return Array.from({ length: n }, (_, i) => i)
      .sort(byDescending)
      .slice(0, Math.max(0, k));
  const top: number[] = [];
  if (k <= 0) return top;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (top.length === k && !(v > values[top[k - 1]!]!)) continue;
    // after every kept index with a value >= v (an earlier index wins a tie)
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * The summary columns of a few customers (in `rows` order), for their `customerSummaries` objects: a
 * million customers need none built but the few shown.
 */
function pickColumns(c: SummaryColumns, rows: readonly number[]): SummaryColumns {
  const f = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]!);
  return {
    ...c,
    length: rows.length,
    customerId: rows.map((i) => c.customerId[i]!),
    x: f(c.x),
    t_x: f(c.t_x),
    T: f(c.T),
    monetary: f(c.monetary),
    firstDay: f(c.firstDay),
    firstAmount: f(c.firstAmount),
    historicRevenue: f(c.historicRevenue),
    orders: f(c.orders),
    ...(c.channel ? { channel: rows.map((i) => c.channel![i]!) } : {}),
    ...(c.campaign ? { campaign: rows.map((i) => c.campaign![i]!) } : {}),
    ...(c.holdout ? { holdout: { ...c.holdout, x: f(c.holdout.x), revenue: f(c.holdout.revenue) } } : {}),
  };
}

/** The budget scenario over the channels with spend and a predicted LTV (as `valuecast channels --budget`). */
function budgetFor(report: ChannelReport, b: NonNullable<ReportOptions["budget"]>): BudgetScenario | null {
  const channels: BudgetChannel[] = report.channels
    .filter((c) => c.spend !== null && c.spend > 0 && c.predictedLtv !== null)
    .map((c) => ({
      channel: c.channel,
      observedSpend: c.spend!,
      observedNewCustomers: c.newCustomersInSpendPeriods,
      ltvPerCustomer: c.predictedLtv!,
    }));
  if (channels.length === 0) return null;
  const spent = channels.reduce((a, c) => a + c.observedSpend, 0);
  const shares = b.shares ?? Object.fromEntries(channels.map((c) => [c.channel, c.observedSpend / spent]));
  return budgetScenario(channels, {
    totalBudget: b.total,
    proposedShares: shares,
    ...(b.exponent !== undefined ? { exponent: b.exponent } : {}),
  });
}

/**
 * Monthly cohorts with six forecast months after the data, from each customer's conditional expectation
 * (`grid`: the model per distinct (x, T) pair, the same values as asking it customer by customer), summed
 * over each cohort's customers as core's `cohortForecastFromCustomers` sums them.
 */
function cohortsWithForecast(
  histories: HistoriesResult,
  grid: CetGrid,
  expectedSpend: Float64Array,
  indexOf: ReadonlyMap<string, number>,
  daysPerUnit: number,
): CohortTable {
  // as many columns as the oldest cohort has observed months (cohortTable's default), plus six
  let oldest = Number.POSITIVE_INFINITY;
  for (const h of histories.histories) oldest = Math.min(oldest, periodIndex(h.firstDay, "month"));
  const columns = histories.histories.length > 0 ? periodIndex(histories.endDay, "month") - oldest + 1 : 0;
  // Each cohort's id list is one array, asked for cell after cell: its row indices are looked up once.
  const rowsOf = new WeakMap<readonly string[], Int32Array>();
  const rowsFor = (ids: readonly string[]) => {
    let rows = rowsOf.get(ids);
    if (!rows) {
      rows = new Int32Array(ids.length);
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j]!;
        rows[j] = indexOf.get(id) ?? indexOf.get(normalizeCustomerId(id) ?? id) ?? -1;
      }
      rowsOf.set(ids, rows);
    }
    return rows;
  };
  // CET of customer i, t days after the end (0 for an unknown customer or t <= 0)
  const cet = (i: number, tDays: number) => (i < 0 || tDays <= 0 ? 0 : grid.cet(i, tDays / daysPerUnit));
  return cohortTable(histories, {
    grain: "month",
    periods: columns + 6,
    forecast: {
      expect(ids, fromDays, toDays) {
        const rows = rowsFor(ids);
        let orders = 0;
        let revenue = 0;
        // the factors at both ends, fetched once per cell (a factorised model: CET = P(alive) x factor)
        const at = (tDays: number) => (tDays > 0 ? grid.ifAlive(tDays / daysPerUnit) : null);
        const fTo = at(toDays);
        const fFrom = at(fromDays);
        const { pAlive, layout } = grid;
        const pairOf = layout.pairOf;
        const end = (f: Float64Array | null, i: number, tDays: number) =>
          f ? pAlive[i]! * f[pairOf[i]!]! : cet(i, tDays);
        for (let j = 0; j < rows.length; j++) {
          const i = rows[j]!;
          const d = i < 0 ? 0 - 0 : end(fTo, i, toDays) - end(fFrom, i, fromDays);
          if (!Number.isFinite(d)) continue;
          const s = i < 0 ? 0 : expectedSpend[i]!;
          orders += d;
          if (Number.isFinite(s)) revenue += d * s;
        }
        return { orders, revenue };
      },
    },
  });
}

/**
 * The holdout backtest of one model: per-customer conditional expectations over the holdout against the
 * actual repeat purchases (MAE, RMSE, correlation, totals), frequency buckets 0..6, 7+ (Fader, Hardie & Lee
 * 2005, Figure 3) and weekly cumulative repeat purchases, actual vs expected (their Figure 2).
 */
function backtest(
  holdout: NonNullable<SummaryColumns["holdout"]>,
  rfm: RfmData,
  predictor: PurchasePredictor,
  all: HistoriesResult,
  calibration: HistoriesResult,
  indexOf: ReadonlyMap<string, number>,
  daysPerUnit: number,
): QualityData {
  // The holdout comparison is core's (the same as `valuecast evaluate` and the API's evaluate route).
  const data = {
    x: rfm.x,
    t_x: rfm.t_x,
    T: rfm.T,
    xHoldout: holdout.x,
    durationHoldout: new Float64Array(rfm.x.length).fill(holdout.duration),
  };
  const predicted = holdoutPredictions(predictor, data);
  const { customers: _n, ...metrics } = holdoutErrors(holdout.x, predicted);
  const buckets = frequencyBuckets(data, predicted);
  // Weekly tracking from the first purchase day of the data: actual repeat purchases per week, and the
  // expected cumulative curve of the calibration customers by their birth (first purchase) day.
  const start = Math.min(...all.histories.map((h) => h.firstDay));
  const weeks = Math.ceil((all.endDay + 1 - start) / 7);
  const actualPerWeek = repeatOccasionsPerPeriod(
    all.histories.map((h) => h.orderDays),
    start,
    7,
    weeks,
    all.endDay,
  );
  const births: number[] = [];
  for (const h of calibration.histories)
    if (indexOf.has(h.customerId) || indexOf.has(normalizeCustomerId(h.customerId) ?? ""))
      births.push((h.firstDay - start) / daysPerUnit);
  const tracking = coreTracking(
    expectedTracking(predictor, Float64Array.from(births), 7 / daysPerUnit, weeks),
    7 / daysPerUnit,
    actualPerWeek,
  ).map(({ period, actual, expected }) => ({ period, actual, expected }));
  return {
    model: "BG/NBD",
    tracking,
    buckets,
    metrics,
  };
}
