import type { SourceSpec } from "@valuecast/data";
import type { DatasetInfo, Workspace } from "../workspace/workspace.ts";
import { type IngestOptions, ingestSource, type Progress } from "./ingest.ts";

/**
 * Summarises a source, reads its transactions and stores both in the workspace as a new dataset (what
 * `POST /api/v1/datasets` runs as a job, and what `valuecast serve --dataset FILE` runs at start).
 * @example const info = await registerDataset(ws, { path: "CDNOW_sample.txt" }, { name: "cdnow", label: "file CDNOW_sample.txt", options: { timeUnit: "week" } })
 */
export async function registerDataset(
  ws: Workspace,
  spec: SourceSpec,
  what: { readonly name: string; readonly label: string; readonly options: IngestOptions },
  progress: Progress = () => {},
): Promise<DatasetInfo> {
  const { summary, transactions } = await ingestSource(spec, what.options, progress);
  progress(0.85, "saving to the workspace");
  const c = summary.columns;
  return ws.addDataset(
    {
      name: what.name,
      source: what.label,
      shape: {
        timeUnit: c.timeUnit,
        calibrationEnd: c.calibrationEnd,
        cohort: c.cohort,
        holdout: c.holdout
          ? { observationEnd: c.holdout.observationEnd, duration: c.holdout.duration }
          : null,
        hasChannel: c.channel !== undefined,
        hasCampaign: c.campaign !== undefined,
      },
      mapping: summary.mapping.description,
      report: summary.report,
    },
    c,
    transactions,
  );
}
