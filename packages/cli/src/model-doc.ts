import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { issue, type ModelDocument, parseModelDocument, ValuecastError } from "@valuecast/core";

// The model document (what `fit --json` prints and `fit --out` writes) is defined in core's compose, shared
// with the HTTP API; this module only reads it from a file.
export { type FittedModelJson, fittedJson, type ModelDocument, modelDocument } from "@valuecast/core";

/**
 * Reads a model file written by `fit --out` (or saved from `fit --json`), checking every field the
 * predictions rely on (core's `parseModelDocument`) and reporting all problems at once.
 * @example readModelDocument("model.json").params
 */
export function readModelDocument(path: string): ModelDocument {
  const file = basename(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new ValuecastError([
      notFound
        ? issue("SOURCE_NOT_FOUND", `model file '${path}' does not exist`, { file })
        : issue("UNSUPPORTED_FORMAT", `model file '${path}' is not JSON written by \`valuecast fit\``, {
            file,
          }),
    ]);
  }
  return parseModelDocument(raw, file);
}
