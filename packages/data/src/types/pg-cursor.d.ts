// Minimal types for pg-cursor (it ships none): a Submittable that reads rows in batches.
declare module "pg-cursor" {
  import type { Submittable } from "pg";
  export default class Cursor implements Submittable {
    constructor(text: string, values?: unknown[], config?: { rowMode?: "array" });
    submit: Submittable["submit"];
    read(rows: number): Promise<unknown[][]>;
    close(): Promise<void>;
  }
}
