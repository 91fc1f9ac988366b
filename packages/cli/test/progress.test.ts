import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { bufferIo } from "../src/io.ts";
import { stepped } from "../src/progress.ts";

function capture(): { stream: NodeJS.WritableStream; text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  // A terminal-like stream: what cli-progress needs of a TTY (cursor moves become no-ops here).
  const done = (cb?: () => void) => {
    cb?.();
    return true;
  };
  Object.assign(stream, {
    isTTY: true,
    columns: 100,
    cursorTo: (_x: number, _y?: number, cb?: () => void) => done(cb),
    clearLine: (_d: number, cb?: () => void) => done(cb),
    clearScreenDown: (cb?: () => void) => done(cb),
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => done(cb),
  });
  return { stream, text: () => text };
}

describe("progress bars", () => {
  it("draw on the progress stream when stdout is a terminal", async () => {
    const c = capture();
    const io = { ...bufferIo(), isTTY: true, progressStream: c.stream };
    const out = await stepped(io, "fitting", [1, 2, 3], (n) => n * 2);
    assert.deepEqual(out, [2, 4, 6]);
    assert.match(c.text(), /fitting/);
    assert.match(c.text(), /\d+%/);
  });

  it("stay silent when stdout is not a terminal (piped, parseable output)", async () => {
    const c = capture();
    const io = { ...bufferIo(), isTTY: false, progressStream: c.stream };
    await stepped(io, "fitting", [1, 2], (n) => n);
    assert.equal(c.text(), "");
  });
});
