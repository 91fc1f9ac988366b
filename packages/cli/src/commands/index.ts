import type { Command } from "../command.ts";
import { channelsCommand } from "./channels.ts";
import { cohortsCommand } from "./cohorts.ts";
import { demoCommand } from "./demo.ts";
import { evaluateCommand } from "./evaluate.ts";
import { exportCommand } from "./export.ts";
import { fitCommand } from "./fit.ts";
import { forecastCommand } from "./forecast.ts";
import { predictCommand } from "./predict.ts";
import { reportCommand } from "./report.ts";
import { segmentsCommand } from "./segments.ts";
import { serveCommand } from "./serve.ts";
import { summarizeCommand } from "./summarize.ts";

/** Every subcommand, in the order `valuecast --help` lists them. */
export const COMMANDS: readonly Command[] = [
  summarizeCommand,
  fitCommand,
  predictCommand,
  evaluateCommand,
  segmentsCommand,
  cohortsCommand,
  channelsCommand,
  forecastCommand,
  serveCommand,
  reportCommand,
  exportCommand,
  demoCommand,
];
