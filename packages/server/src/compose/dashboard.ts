import type { DashboardInput } from "../context.ts";
import type { LoadedDataset, Workspace } from "../workspace/workspace.ts";

/** Builds a dashboard document from a dataset's stored transactions (`AppDeps.dashboard`). */
export type DashboardBuilder = (input: DashboardInput) => unknown | Promise<unknown>;

/**
 * The dataset's dashboard document: the stored one (`dashboard|<dataset id>` in the workspace's results),
 * else built from its stored transactions and stored, so it is built once per dataset. Used by
 * `GET /api/v1/dashboard` and by `valuecast serve`, which builds it before listening so the first visit
 * does not hold up the API (the build is synchronous work: about 20 s of CPU at a million customers).
 * @example const doc = await storedDashboard(ws, await ws.load(id), builder)
 */
export async function storedDashboard(
  ws: Workspace,
  data: LoadedDataset,
  build: DashboardBuilder,
  refresh = false,
): Promise<unknown> {
  const key = `dashboard|${data.info.id}`;
  if (!refresh) {
    const hit = await ws.result<unknown>(key);
    if (hit !== undefined) return hit;
  }
  const doc = await build({
    datasetId: data.info.id,
    name: data.info.name,
    transactions: await data.transactions(),
    timeUnit: data.columns.timeUnit,
    calibrationEnd: data.info.shape.holdout ? data.columns.calibrationEnd : null,
  });
  await ws.putResult(key, data.info.id, "dashboard", doc);
  return doc;
}
