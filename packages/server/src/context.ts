import type { Transaction } from "@valuecast/core";
import type { Hono } from "hono";
import type { ApiKeyRecord } from "./auth.ts";
import type { JobRunner } from "./jobs.ts";
import type { RouteTable } from "./routing.ts";
import type { Services } from "./services.ts";
import type { Workspace } from "./workspace/workspace.ts";

/** What a dashboard builder gets (the CLI passes `packages/web`'s `buildReportInput`, adapted). */
export interface DashboardInput {
  readonly datasetId: string;
  readonly name: string;
  readonly transactions: readonly Transaction[];
  readonly timeUnit: string;
  readonly calibrationEnd: string | null;
}

/** Everything `createApp` needs; nothing is global. */
export interface AppDeps {
  readonly workspace: Workspace;
  /** Hashed API keys accepted (`hashApiKey`); an empty list refuses every request but health. */
  readonly apiKeys: readonly ApiKeyRecord[];
  /** CORS is off unless origins are listed here. */
  readonly cors?: { readonly origins: readonly string[] };
  /** Largest request body in bytes for JSON requests (default 10 MB). */
  readonly maxJsonBytes?: number;
  /** Largest CSV upload in bytes (default 200 MB). */
  readonly maxUploadBytes?: number;
  /** Dataset the dashboard routes use when none is named (default: the latest registered). */
  readonly defaultDataset?: string;
  /** When given, registered file paths must resolve inside one of these folders. */
  readonly dataRoots?: readonly string[];
  /** Builds the dashboard document (`GET /api/v1/dashboard`); its result is stored in the workspace. */
  readonly dashboard?: (input: DashboardInput) => unknown | Promise<unknown>;
  /** Static files served without a key at `/` (the dashboard page: HTML, JS, CSS; no data). */
  readonly staticAssets?: ReadonlyMap<
    string,
    { readonly body: string | Uint8Array; readonly contentType: string }
  >;
  /** Where unexpected errors are logged (default: stderr). Responses never carry stack traces. */
  readonly log?: (message: string) => void;
  readonly version?: string;
}

/** What the route modules share. */
export interface RouteContext {
  readonly app: Hono;
  readonly table: RouteTable;
  readonly deps: AppDeps;
  readonly ws: Workspace;
  readonly jobs: JobRunner;
  readonly services: Services;
}
