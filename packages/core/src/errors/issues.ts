/**
 * Errors are data: every problem a user can cause is an `Issue` with a code from this closed set,
 * a message that says what to do, and where it happened. Commands collect issues and report them all
 * at once; nothing is dropped silently.
 */
export const ISSUE_CODES = {
  // input files and sources
  EMPTY_INPUT: "The input holds no data rows.",
  BINARY_INPUT: "The input is not text (it looks binary).",
  BAD_DELIMITER: "The delimiter does not split the rows into the expected columns.",
  UNSUPPORTED_FORMAT: "The input format is not supported.",
  SOURCE_NOT_FOUND: "The input file, table or URL was not found.",
  MISSING_COLUMN: "A required column is missing.",
  AMBIGUOUS_COLUMN: "More than one column could be the one needed; name it with a flag.",
  // rows
  MISSING_CUSTOMER_ID: "The row has no customer id.",
  BAD_DATE: "The date could not be parsed.",
  BAD_AMOUNT: "The amount is not a number.",
  DATE_AFTER_END: "The date is after the end of the observation period.",
  DUPLICATE_ROW: "The row repeats an earlier row exactly.",
  ZERO_AMOUNT: "The amount is zero.",
  NEGATIVE_AMOUNT: "The amount is negative (a refund or adjustment).",
  CANCELLED_ORDER: "The row is a cancellation (netted against spend, never counted as a purchase).",
  MIXED_TIME_ZONES: "Dates carry different time-zone offsets.",
  REFUND_WITHOUT_PURCHASE:
    "A refund or cancellation of a customer with no earlier purchase in the data (it refers to a purchase outside the data); not netted.",
  FIRST_PURCHASE_AFTER_CALIBRATION:
    "The customer's first purchase is after the calibration end, so the customer has no calibration summary.",
  BAD_SUMMARY_VALUE: "A summary value is out of range (e.g. t_x > T, negative x).",
  // models
  INVALID_PARAMETER: "A model parameter is not a positive finite number.",
  INVALID_DATA: "The data do not fit the model's requirements.",
  NON_POSITIVE_SPEND: "Gamma-Gamma needs strictly positive mean spends.",
  NOT_ENOUGH_DATA: "There is too little data for this estimate.",
  FIT_DID_NOT_CONVERGE: "The optimiser did not converge.",
  UNKNOWN_MODEL: "No model has that name.",
  // commands
  USAGE: "The command line is not valid.",
  BAD_OPTION_VALUE: "An option's value is not valid.",
  // exports and the HTTP API
  BAD_CONTACT_VALUE: "A contact field (email, phone, country, click id) is not valid for the export format.",
  INVALID_REQUEST: "The request body, path or query is not valid.",
  UNAUTHORIZED: "A valid API key is required.",
  NOT_FOUND: "Nothing exists at that address (dataset, model, customer, job or route).",
  PAYLOAD_TOO_LARGE: "The request body is larger than the server accepts.",
  NOT_READY: "The resource is not ready yet (a job is still running or an earlier step is missing).",
  INTERNAL: "The server failed unexpectedly; the details are in its log.",
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** Where an issue happened: a file and line/column for input rows, a field name for values. */
export interface IssueLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string | number;
  readonly field?: string;
  readonly index?: number;
}

export interface Issue {
  readonly code: IssueCode;
  readonly message: string;
  readonly location?: IssueLocation;
}

/**
 * Builds an issue; the message defaults to the code's standard text.
 * @example issue("BAD_DATE", "'2011-13-01' is not a date", { file: "t.csv", line: 4, column: "date" })
 */
export function issue(code: IssueCode, message?: string, location?: IssueLocation): Issue {
  return location
    ? { code, message: message ?? ISSUE_CODES[code], location }
    : { code, message: message ?? ISSUE_CODES[code] };
}

/**
 * The one exception type valuecast throws for a user's mistake. It carries every issue found, so the
 * command line and the API can print them all (never a stack trace).
 * @example throw new ValuecastError([issue("UNKNOWN_MODEL", "no model 'foo'")])
 */
export class ValuecastError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super(issues.map((i) => `${i.code}: ${i.message}`).join("\n"));
    this.name = "ValuecastError";
    this.issues = issues;
  }
}

/** Formats an issue's location as `file:line:column` (or the parts that are known). */
export function formatLocation(loc: IssueLocation | undefined): string {
  if (!loc) return "";
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(String(loc.line));
  if (loc.column !== undefined) parts.push(String(loc.column));
  if (loc.field) parts.push(loc.field);
  if (loc.index !== undefined && loc.line === undefined) parts.push(`#${loc.index}`);
  return parts.join(":");
}
