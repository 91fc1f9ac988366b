import type { Command } from "../command.ts";
import { demoCommand } from "./demo.ts";
import { evaluateCommand } from "./evaluate.ts";
import { fitCommand } from "./fit.ts";
import { predictCommand } from "./predict.ts";
import { summarizeCommand } from "./summarize.ts";

/** Every subcommand, in the order `valuecast --help` lists them. */
export const COMMANDS: readonly Command[] = [
  summarizeCommand,
  fitCommand,
  predictCommand,
  evaluateCommand,
  demoCommand,
];
