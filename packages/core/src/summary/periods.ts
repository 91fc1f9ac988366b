import { issue, ValuecastError } from "../errors/issues.ts";
import { isoDateToDay } from "./days.ts";
import type { SummarizeOptions } from "./types.ts";

/** The option dates as day numbers, checked. Throws BAD_OPTION_VALUE for a bad date or end < calibration end. */
export function optionDays(options: SummarizeOptions): {
  calibrationEndDay?: number;
  observationEndDay?: number;
} {
  const parse = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const d = isoDateToDay(text);
    if (d === undefined) {
      throw new ValuecastError([issue("BAD_OPTION_VALUE", `${name} '${text}' is not a date (YYYY-MM-DD)`)]);
    }
    return d;
  };
  const cal = parse("calibration end", options.calibrationEnd);
  const obs = parse("observation end", options.observationEnd);
  if (cal !== undefined && obs !== undefined && obs < cal) {
    throw new ValuecastError([
      issue(
        "BAD_OPTION_VALUE",
        `the end ${options.observationEnd} is before the calibration end ${options.calibrationEnd}`,
      ),
    ]);
  }
  return {
    ...(cal !== undefined ? { calibrationEndDay: cal } : {}),
    ...(obs !== undefined ? { observationEndDay: obs } : {}),
  };
}

/**
 * The period ends every engine uses: the calibration end defaults to the observation end, else to the last
 * day of any accepted row; the observation end defaults to the later of the calibration end and that day.
 * Holdout fields exist only when a calibration end was given.
 */
export function resolvePeriods(
  options: SummarizeOptions,
  lastDataDay: number | undefined,
): { calibrationEndDay: number; observationEndDay: number; holdout: boolean } {
  const { calibrationEndDay: cal, observationEndDay: obs } = optionDays(options);
  const last = lastDataDay ?? cal ?? obs ?? 0;
  const calibrationEndDay = cal ?? obs ?? last;
  const observationEndDay = obs ?? Math.max(calibrationEndDay, last);
  return { calibrationEndDay, observationEndDay, holdout: cal !== undefined };
}
