// @valuecast/cli: the `valuecast` command as a library (tests and other tools run it in-process).

export { bufferIo, type CliIo, processIo } from "./io.ts";
export { EXIT, exitCodeFor, main } from "./main.ts";
