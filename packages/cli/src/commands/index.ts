import type { Command } from "../command.ts";
import { evaluateCommand } from "./evaluate.ts";
import { fitCommand } from "./fit.ts";
import { summarizeCommand } from "./summarize.ts";

/** Every subcommand, in the order `valuecast --help` lists them. */
export const COMMANDS: readonly Command[] = [summarizeCommand, fitCommand, evaluateCommand];
