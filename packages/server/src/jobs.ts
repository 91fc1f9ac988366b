import { randomUUID } from "node:crypto";
import { type Issue, issue, ValuecastError } from "@valuecast/core";

/** A long-running request (dataset registration): poll `GET /api/v1/jobs/:id`. */
export interface Job {
  readonly id: string;
  readonly kind: string;
  status: "queued" | "running" | "succeeded" | "failed";
  /** Share done, 0..1. */
  progress: number;
  stage: string;
  readonly createdAt: string;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  issues: Issue[];
}

/** The job registry: runs jobs one at a time (ingest is memory- and CPU-heavy), keeps the last 1000. */
export interface JobRunner {
  start(
    kind: string,
    work: (progress: (done: number, stage: string) => void) => Promise<Record<string, unknown>>,
  ): Job;
  get(id: string): Job | undefined;
  /** Resolves when every queued job has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * A job runner; `log` receives unexpected failures (the response shows only an INTERNAL issue).
 * @example const job = jobs.start("register-dataset", async (p) => { p(0.5, "half"); return { datasetId } })
 */
export function createJobRunner(log: (message: string) => void = () => {}): JobRunner {
  const jobs = new Map<string, Job>();
  let chain: Promise<void> = Promise.resolve();
  return {
    start(kind, work) {
      const job: Job = {
        id: `job_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
        kind,
        status: "queued",
        progress: 0,
        stage: "queued",
        createdAt: new Date().toISOString(),
        finishedAt: null,
        result: null,
        issues: [],
      };
      jobs.set(job.id, job);
      if (jobs.size > 1000) jobs.delete(jobs.keys().next().value!);
      chain = chain.then(async () => {
        job.status = "running";
        try {
          job.result = await work((done, stage) => {
            job.progress = Math.max(job.progress, Math.min(1, done));
            job.stage = stage;
          });
          job.status = "succeeded";
          job.progress = 1;
          job.stage = "done";
        } catch (e) {
          job.status = "failed";
          job.stage = "failed";
          if (e instanceof ValuecastError) job.issues = [...e.issues];
          else {
            log(`job ${job.id} failed: ${(e as Error)?.stack ?? String(e)}`);
            job.issues = [issue("INTERNAL")];
          }
        }
        job.finishedAt = new Date().toISOString();
      });
      return job;
    },
    get: (id) => jobs.get(id),
    idle: () => chain,
  };
}
