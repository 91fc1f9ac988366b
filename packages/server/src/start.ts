import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { type ApiKeyRecord, generateApiKey, hashApiKey } from "./auth.ts";
import type { AppDeps } from "./context.ts";
import { openWorkspace, type Workspace } from "./workspace/workspace.ts";

/** Options of `startServer` (`valuecast serve`). */
export interface StartOptions extends Partial<Omit<AppDeps, "workspace" | "apiKeys">> {
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Interface; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Workspace folder (default `.valuecast`), or an opened workspace. */
  readonly dir?: string;
  readonly workspace?: Workspace;
  /** Plain API keys accepted (hashed at start, never stored). */
  readonly apiKeys?: readonly string[];
  /** A file with one API key per line. */
  readonly apiKeyFile?: string;
  /** Environment to read `VALUECAST_API_KEY` from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly workspace: Workspace;
  /** Set when no key was configured: a new random key, accepted by this process only; show it once. */
  readonly generatedKey: string | null;
  close(): Promise<void>;
}

/**
 * Starts the API on `host:port` (127.0.0.1 by default) with keys from `apiKeys`, `apiKeyFile`, the
 * `VALUECAST_API_KEY` environment variable and the workspace's stored (hashed) keys; when there is none at
 * all it makes one up and returns it.
 * @example const s = await startServer({ port: 8080, dir: ".valuecast" }); console.log(s.url, s.generatedKey)
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const plain = [...(options.apiKeys ?? [])];
  if (options.apiKeyFile)
    plain.push(
      ...readFileSync(options.apiKeyFile, "utf8")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#")),
    );
  if (env.VALUECAST_API_KEY) plain.push(env.VALUECAST_API_KEY);
  const owned = !options.workspace;
  const workspace = options.workspace ?? (await openWorkspace({ dir: options.dir ?? ".valuecast" }));
  // Keys created with `valuecast serve --create-key` are kept hashed in the workspace.
  const stored = await workspace.apiKeys();
  const generatedKey = plain.length === 0 && stored.length === 0 ? generateApiKey() : null;
  if (generatedKey) plain.push(generatedKey);
  const apiKeys: ApiKeyRecord[] = [...stored, ...plain.map((k, i) => hashApiKey(k, `key ${i + 1}`))];
  const { port: _p, host: _h, dir: _d, apiKeyFile: _f, env: _e, ...deps } = options;
  const app = createApp({ ...deps, workspace, apiKeys });
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8080 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    workspace,
    generatedKey,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (owned) await workspace.close();
    },
  };
}
