import { resolve } from "node:path";
import type { TimeUnit } from "@valuecast/core";
import { type CommandSpec, dateOption, numberOption, type OptionValues, stringOption } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { timeUnitOption } from "../sources.ts";
import { SOURCE_OPTIONS } from "./options.ts";

type ServerPackage = typeof import("@valuecast/server");
type RunningServer = Awaited<ReturnType<ServerPackage["startServer"]>>;

/** `valuecast serve`: its help text and the options its parser accepts. */
export const serveSpec: CommandSpec = {
  name: "serve",
  summary: "the HTTP API and the dashboard on 127.0.0.1 (a workspace keeps datasets, models and results)",
  positionals: [],
  options: {
    port: {
      type: "string",
      value: "N",
      description: "port to listen on, 127.0.0.1 only (default 8080; 0 = any free port)",
    },
    dir: {
      type: "string",
      value: "DIR",
      description: "workspace folder (default .valuecast): workspace.duckdb inside",
    },
    "api-key-file": {
      type: "string",
      value: "FILE",
      description: "accept the API keys in FILE (one per line)",
    },
    "create-key": {
      type: "boolean",
      description: "create an API key, store it hashed in the workspace, print it once, and exit",
    },
    dataset: {
      type: "string",
      value: "SOURCE",
      description:
        "register this transaction file (or database URL) in the workspace at start, unless already there",
    },
    // how to read --dataset: the same column and period options as every command with a <source>
    "time-unit": SOURCE_OPTIONS["time-unit"]!,
    "calibration-end": SOURCE_OPTIONS["calibration-end"]!,
    customer: SOURCE_OPTIONS.customer!,
    date: SOURCE_OPTIONS.date!,
    amount: SOURCE_OPTIONS.amount!,
    channel: SOURCE_OPTIONS.channel!,
    table: SOURCE_OPTIONS.table!,
    draws: {
      type: "string",
      value: "N",
      description: "parameter draws behind the dashboard's forecast intervals (default 100; 0 = none)",
    },
    currency: {
      type: "string",
      value: "SYMBOL",
      description: "currency shown before money on the dashboard (default $)",
    },
  },
  notes: [
    "Every API route but /api/v1/health needs a key (Authorization: Bearer <key>). Keys come from",
    "--create-key (kept hashed in the workspace), --api-key-file, or VALUECAST_API_KEY; with none of them a",
    "key is generated for this run and printed once. The dashboard is at the printed URL; it asks for the key.",
    "Stop with Ctrl-C (SIGINT) or SIGTERM.",
  ],
  examples: [
    "valuecast serve --dir shop --create-key            # prints a new key once",
    "valuecast serve --dir shop --dataset CDNOW_master.txt --calibration-end 1997-09-30 --port 8080",
  ],
};

/** What `serveWorkspace` needs (the parsed `serve` options). */
export interface ServeOptions {
  readonly port: number;
  readonly dir: string;
  readonly apiKeyFile?: string;
  readonly currency: string;
  /** Parameter draws for the dashboard's intervals (default 100). */
  readonly draws?: number;
  /** Build the --dataset's dashboard document before listening (default true). */
  readonly precomputeDashboard?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly dataset?: {
    readonly source: string;
    readonly timeUnit: TimeUnit;
    readonly calibrationEnd?: string;
    readonly columns: Readonly<Record<string, string>>;
    readonly table?: string;
  };
  /** Progress lines for people. */
  readonly note?: (text: string) => void;
}

/**
 * The dashboard document builder `serve` gives the server: packages/web's `buildReportInput` over the
 * dataset's stored transactions, with the dataset's calibration end and time unit. The server stores the
 * result in the workspace (`dashboard|<dataset>`), so it is built once per dataset, not per request, and
 * it holds aggregates only (histograms, cohorts, forecasts, 25 top customers), never per-customer arrays.
 * @example const build = await dashboardBuilder("$"); createApp({ ..., dashboard: build })
 */
export async function dashboardBuilder(
  currency: string,
  draws = 100,
): Promise<NonNullable<Parameters<ServerPackage["createApp"]>[0]["dashboard"]>> {
  const { buildReportInput } = await import("@valuecast/web");
  return (input) =>
    buildReportInput(input.transactions, {
      timeUnit: input.timeUnit as TimeUnit,
      ...(input.calibrationEnd ? { calibrationEnd: input.calibrationEnd } : {}),
      currency,
      draws,
      title: input.name,
    });
}

/**
 * Opens the workspace, registers `--dataset` when it is not there yet (and builds its dashboard document
 * unless already stored), and starts the API with the dashboard mounted at `/` on 127.0.0.1, that dataset
 * being the dashboard's default. `timings` says how long registering and building took (seconds). The
 * caller closes it.
 * @example const s = await serveWorkspace({ port: 0, dir: ".valuecast", currency: "$" }); await s.close()
 */
export async function serveWorkspace(
  options: ServeOptions,
): Promise<RunningServer & { readonly timings: Readonly<Record<string, number>> }> {
  const server = await import("@valuecast/server");
  const { loadDashboardAssets } = await import("@valuecast/web");
  const note = options.note ?? (() => {});
  const workspace = await server.openWorkspace({ dir: options.dir });
  const timings: Record<string, number> = {};
  const seconds = (t0: number) => Math.round(performance.now() - t0) / 1000;
  try {
    const d = options.dataset;
    let datasetId: string | undefined;
    if (d) {
      const isUrl = /^(postgres(ql)?:\/\/|duckdb:)/i.test(d.source);
      const path = isUrl ? d.source : resolve(d.source);
      const label = isUrl
        ? `${d.source.split(":")[0]} ${d.table ? `table ${d.table}` : "query"}`
        : `file ${path}`;
      const known = (await workspace.listDatasets()).find((x) => x.source === label);
      datasetId = known?.id;
      if (known) note(`dataset ${known.id} (${known.customers} customers) already in the workspace`);
      else {
        note(`registering ${d.source} ...`);
        const t0 = performance.now();
        const info = await server.registerDataset(
          workspace,
          isUrl ? { url: d.source, ...(d.table ? { table: d.table } : {}) } : { path },
          {
            name: d.source.split(/[\\/]/).at(-1) ?? d.source,
            label,
            options: {
              timeUnit: d.timeUnit,
              ...(d.calibrationEnd ? { calibrationEnd: d.calibrationEnd } : {}),
              columns: d.columns,
            },
          },
        );
        timings.registerSeconds = seconds(t0);
        datasetId = info.id;
        note(`dataset ${info.id}: ${info.customers} customers, ${info.transactions} transactions`);
      }
    }
    const dashboard = await dashboardBuilder(options.currency, options.draws);
    if (datasetId && options.precomputeDashboard !== false) {
      // Built before listening: the build is synchronous (about 20 s of CPU at a million customers) and would hold up
      // every API request if the first visit triggered it. Stored, so a restart skips it.
      const data = await workspace.load(datasetId);
      if (data && (await workspace.result(`dashboard|${datasetId}`)) === undefined) {
        note("building the dashboard document (once; kept in the workspace) ...");
        const t0 = performance.now();
        await server.storedDashboard(workspace, data, dashboard);
        timings.dashboardSeconds = seconds(t0);
      }
    }
    const running = await server.startServer({
      port: options.port,
      host: "127.0.0.1",
      workspace,
      ...(options.apiKeyFile ? { apiKeyFile: options.apiKeyFile } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(datasetId ? { defaultDataset: datasetId } : {}),
      staticAssets: await loadDashboardAssets({ title: "valuecast dashboard" }),
      dashboard,
    });
    return {
      ...running,
      timings,
      // startServer did not open the workspace, so it leaves it open: close it with the server.
      close: async () => {
        await running.close();
        await workspace.close();
      },
    };
  } catch (err) {
    await workspace.close();
    throw err;
  }
}

/**
 * Creates an API key, stores its salted hash in the workspace and returns the plain key (shown once).
 * @example const key = await createWorkspaceKey(".valuecast", "ci")
 */
export async function createWorkspaceKey(dir: string, label: string): Promise<string> {
  const server = await import("@valuecast/server");
  const workspace = await server.openWorkspace({ dir });
  try {
    const key = server.generateApiKey();
    await workspace.addApiKey(server.hashApiKey(key, label));
    return key;
  } finally {
    await workspace.close();
  }
}

/** The serve options from the command line. */
function serveOptions(values: OptionValues, ctx: CommandContext): ServeOptions {
  const source = stringOption(values, "dataset");
  const columns: Record<string, string> = {};
  for (const role of ["customer", "date", "amount", "channel"]) {
    const v = stringOption(values, role);
    if (v) columns[role] = v;
  }
  const calibrationEnd = dateOption(values, "calibration-end");
  const file = stringOption(values, "api-key-file");
  const table = stringOption(values, "table");
  return {
    port: Math.floor(numberOption(values, "port", 8080, { min: 0, max: 65535 })),
    dir: resolve(ctx.io.cwd, stringOption(values, "dir") ?? ".valuecast"),
    ...(file ? { apiKeyFile: resolve(ctx.io.cwd, file) } : {}),
    currency: stringOption(values, "currency") ?? "$",
    draws: Math.floor(numberOption(values, "draws", 100, { min: 0, max: 10_000 })),
    ...(source
      ? {
          dataset: {
            source: /^(postgres(ql)?:\/\/|duckdb:)/i.test(source) ? source : resolve(ctx.io.cwd, source),
            timeUnit: timeUnitOption(values),
            ...(calibrationEnd ? { calibrationEnd } : {}),
            columns,
            ...(table ? { table } : {}),
          },
        }
      : {}),
    note: (t) => ctx.io.stderr(`${t}\n`),
  };
}

/** Resolves when the process is asked to stop (SIGINT / SIGTERM). */
function stopSignal(): Promise<string> {
  return new Promise((done) => {
    const on = (sig: string) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      done(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/** `valuecast serve`. @example await main(["serve", "--help"], bufferIo()) */
export const serveCommand: Command = {
  spec: serveSpec,
  async run(args, ctx) {
    const options = serveOptions(args.values, ctx);
    if (args.values["create-key"]) {
      const key = await createWorkspaceKey(options.dir, `created ${new Date().toISOString()}`);
      if (ctx.json) ctx.printJson({ apiKey: key, workspace: options.dir });
      else {
        ctx.io.stdout(`${key}\n`);
        ctx.note(
          `API key stored (hashed) in ${options.dir}; it is shown only now. Use: Authorization: Bearer <key>`,
        );
      }
      return 0;
    }
    const s = await serveWorkspace(options);
    const ready = {
      url: s.url,
      port: s.port,
      workspace: options.dir,
      generatedKey: s.generatedKey,
      ...s.timings,
    };
    if (ctx.json) ctx.printJson(ready);
    else {
      ctx.io.stdout(`valuecast serving ${s.url} (dashboard at ${s.url}/, API at ${s.url}/api/v1)\n`);
      if (s.generatedKey)
        ctx.io.stdout(
          `API key for this run (not stored; create a lasting one with --create-key): ${s.generatedKey}\n`,
        );
    }
    const sig = await stopSignal();
    ctx.note(`${sig}: stopping`);
    await s.close();
    return 0;
  },
};
