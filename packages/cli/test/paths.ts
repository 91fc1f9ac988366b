import { fileURLToPath } from "node:url";

/** The repository root (this file is packages/cli/test/paths.ts). */
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** The shared data directory, `<repo>/../shared/data`, where CI keeps the reference data sets. */
export const DATA = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));

/** The launcher the `valuecast` command runs. */
export const BIN = fileURLToPath(new URL("../bin/valuecast.mjs", import.meta.url));
