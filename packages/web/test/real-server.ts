import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, registerDataset, startServer } from "@valuecast/server";
import { buildReportInput, loadDashboardAssets } from "../src/index.ts";
import { CDNOW_SAMPLE } from "./fixtures.ts";

/**
 * The real API (`@valuecast/server`'s `startServer`, what `valuecast serve` runs) over a fresh workspace
 * holding the CDNOW sample (calibration to 1997-09-30), with the dashboard mounted at `/` and the
 * dashboard document built by `buildReportInput`, listening on 127.0.0.1 on a free port.
 */
export async function startRealServer(
  apiKey: string,
): Promise<{ url: string; server: RunningServer; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "vc-web-ws-"));
  const { openWorkspace } = await import("@valuecast/server");
  const workspace = await openWorkspace({ dir });
  await registerDataset(
    workspace,
    { path: CDNOW_SAMPLE.pathname },
    {
      name: "CDNOW sample",
      label: "file CDNOW_sample.txt",
      options: {
        timeUnit: "week",
        calibrationEnd: "1997-09-30",
        columns: { customer: "column0", date: "column2", amount: "column4" },
      },
    },
  );
  const server = await startServer({
    port: 0,
    workspace,
    apiKeys: [apiKey],
    env: {},
    staticAssets: await loadDashboardAssets(),
    dashboard: (input) =>
      buildReportInput(input.transactions, {
        timeUnit: "week",
        ...(input.calibrationEnd ? { calibrationEnd: input.calibrationEnd } : {}),
        currency: "$",
        draws: 40,
        title: input.name,
      }),
    log: () => {},
  });
  return {
    url: server.url,
    server,
    close: async () => {
      await server.close();
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
