import { formatLocation, type Issue } from "@valuecast/core";

/**
 * Issues as a person reads them: one line each, `error CODE location: message`, every issue at once,
 * then a count. No stack traces: these are the user's inputs, not our bugs.
 * @example formatIssues([issue("BAD_DATE", "'x' is not a date", { file: "t.csv", line: 4 })])
 */
export function formatIssues(issues: readonly Issue[]): string {
  const lines = issues.map((i) => {
    const where = formatLocation(i.location);
    return `error ${i.code}${where ? ` ${where}` : ""}: ${i.message}`;
  });
  if (issues.length > 1) lines.push(`${issues.length} problems found.`);
  return `${lines.join("\n")}\n`;
}
