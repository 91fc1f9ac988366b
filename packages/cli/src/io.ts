/**
 * What a command may touch of the outside world. `main(argv, io)` takes it as a parameter so tests run
 * the whole CLI in-process with string buffers, and the real launcher passes the process's streams.
 */
export interface CliIo {
  /** Writes to standard output (results: tables, JSON). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (issues, notes, progress). */
  readonly stderr: (text: string) => void;
  /** True when stdout is a terminal: progress bars and colour only then. */
  readonly isTTY: boolean;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** The stream progress bars draw on (only used when `isTTY`). */
  readonly progressStream?: NodeJS.WritableStream;
}

/**
 * The real process's io. A closed pipe (`valuecast ... | head`) is not an error worth a stack trace.
 * @example await main(process.argv.slice(2), processIo())
 */
export function processIo(): CliIo {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    progressStream: process.stderr,
  };
}

/**
 * An io that collects everything written, for tests.
 * @example const io = bufferIo(); await main(["--help"], io); io.out() // "valuecast ..."
 */
export function bufferIo(cwd = process.cwd()): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd,
    out: () => out,
    err: () => err,
  };
}
