/**
 * A WebAssembly SIMD kernel for MLPs on slot rows: one network layer over a block of rows, two outputs
 * per f64x2 instruction. It runs the forward passes of scoring (`predictZilnEncoded`, `predictZilnSlots`)
 * and of training (`trainZilnEncoded`), and training's weight gradients of the dense layers; where
 * WebAssembly or its SIMD extension is not available, the plain TypeScript loops give the same numbers.
 *
 * Why the results are bit-identical to `forward` / `sparseForward`: each output is its own lane, summed
 * from 0 over the inputs in ascending order with one IEEE multiply and one IEEE add per term (WebAssembly
 * has no fused multiply-add), then + bias, then ReLU as pmax(s, 0) = (s < 0 ? 0 : s), JavaScript's rule.
 *
 * The module is assembled here from its instructions (no binary blob), the text form being:
 *
 *   (func (export "layer") (param $wt $bias $vals $cols $colStride $slots $rows $outputs $out $relu i32)
 *     ;; out[b][j] = relu(bias[j] + sum_k wt[cols[b][k] * outputs + j] * vals[b][k]), j in steps of 2;
 *     ;; a dense layer passes cols = 0, 1, .., inputs - 1 once with colStride 0
 *     for b < rows: for j < outputs (step 8, 4 accumulators; then step 2): for k < slots: ...)
 *   (func (export "dense") ...the same parameters...)
 *     ;; the same sums for a dense layer (vals = rows of `slots` inputs): the weights of input k are at
 *     ;; wt + k * outputs, walked by a pointer, with no column index to load and multiply
 */

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}

// --- a minimal assembler: just the instructions the kernel uses ---
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const add = [0x6a];
const mul = [0x6c];
const shl = [0x74];
const geU = [0x4f];
const ltU = [0x49];
const sub = [0x6b];
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const iff = [0x04, 0x40];
const end = [0x0b];
const br = (d: number) => [0x0c, ...uleb(d)];
const brIf = (d: number) => [0x0d, ...uleb(d)];
const i32Load = [0x28, 2, 0];
const f64Load = [0x2b, 3, 0];
const simd = (op: number) => [0xfd, ...uleb(op)];
const v128Load = (offset: number) => [...simd(0x00), 3, ...uleb(offset)];
const v128Store = (offset: number) => [...simd(0x0b), 3, ...uleb(offset)];
const v128Zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const f64x2Splat = simd(0x14);
const f64x2Add = simd(0xf0);
const f64x2Mul = simd(0xf2);
const f64x2Pmax = simd(0xf7);

// parameters
const WT = 0;
const BIAS = 1;
const VALS = 2;
const COLS = 3;
const CSTRIDE = 4;
const SLOTS = 5;
const ROWS = 6;
const OUTPUTS = 7;
const OUT = 8;
const RELU = 9;
// i32 locals
const B = 10;
const J = 11;
const K = 12;
const VROW = 13;
const CROW = 14;
const OROW = 15;
const WBASE = 16; // byte address of wt[cols[b][k] * outputs + j]
const V = 17; // splatted input value, then scratch: v128 locals from 17 on
const A0 = 18;
const A1 = 19;
const A2 = 20;
const A3 = 21;

/** acc_q += wt[base + 2q .. + 2q + 1] * v, for accumulators `accs` (each a v128 local). */
const accumulate = (accs: readonly number[]) =>
  accs.flatMap((a, q) => [
    ...get(a),
    ...get(WBASE),
    ...v128Load(16 * q),
    ...get(V),
    ...f64x2Mul,
    ...f64x2Add,
    ...set(a),
  ]);

/** Sum over the slots into `accs` (outputs j .. j + 2 * accs.length - 1), then bias, ReLU, store. */
const outputBlock = (accs: readonly number[], dense: boolean) => [
  ...accs.flatMap((a) => [...v128Zero, ...set(a)]),
  ...i32(0),
  ...set(K),
  // dense: WBASE = wt + (j << 3) and CROW = vrow walk the weights and the inputs (k ascending)
  ...(dense
    ? [...get(WT), ...get(J), ...i32(3), ...shl, ...add, ...set(WBASE), ...get(VROW), ...set(CROW)]
    : []),
  ...block,
  ...loop,
  ...get(K),
  ...get(SLOTS),
  ...geU,
  ...brIf(1),
  ...(dense
    ? [
        // V = splat(x[b][k]); weights of input k, outputs j.. at WBASE
        ...get(CROW),
        ...f64Load,
        ...f64x2Splat,
        ...set(V),
        ...accumulate(accs),
        ...get(WBASE),
        ...get(CSTRIDE),
        ...add,
        ...set(WBASE),
        ...get(CROW),
        ...i32(8),
        ...add,
        ...set(CROW),
      ]
    : [
        // WBASE = wt + ((cols[crow + 4k] * outputs + j) << 3)
        ...get(WT),
        ...get(CROW),
        ...get(K),
        ...i32(2),
        ...shl,
        ...add,
        ...i32Load,
        ...get(OUTPUTS),
        ...mul,
        ...get(J),
        ...add,
        ...i32(3),
        ...shl,
        ...add,
        ...set(WBASE),
        // V = splat(vals[vrow + 8k])
        ...get(VROW),
        ...get(K),
        ...i32(3),
        ...shl,
        ...add,
        ...f64Load,
        ...f64x2Splat,
        ...set(V),
        ...accumulate(accs),
      ]),
  ...get(K),
  ...i32(1),
  ...add,
  ...set(K),
  ...br(0),
  ...end,
  ...end,
  // + bias, ReLU, store
  ...accs.flatMap((a, q) => [
    ...get(a),
    ...get(BIAS),
    ...get(J),
    ...i32(3),
    ...shl,
    ...add,
    ...v128Load(16 * q),
    ...f64x2Add,
    ...set(a),
    ...get(RELU),
    ...iff,
    ...get(a),
    ...v128Zero,
    ...f64x2Pmax,
    ...set(a),
    ...end,
    ...get(OROW),
    ...get(J),
    ...i32(3),
    ...shl,
    ...add,
    ...get(a),
    ...v128Store(16 * q),
  ]),
  ...get(J),
  ...i32(2 * accs.length),
  ...add,
  ...set(J),
];

const bodyOf = (dense: boolean) => [
  // locals: 7 i32 (B .. WBASE), 5 v128 (V, A0 .. A3)
  2,
  7,
  0x7f,
  5,
  0x7b,
  // dense: the colStride parameter becomes the byte stride between inputs' weight rows, outputs << 3
  ...(dense ? [...get(OUTPUTS), ...i32(3), ...shl, ...set(CSTRIDE)] : []),
  ...i32(0),
  ...set(B),
  ...block,
  ...loop,
  ...get(B),
  ...get(ROWS),
  ...geU,
  ...brIf(1),
  ...get(VALS),
  ...get(B),
  ...get(SLOTS),
  ...mul,
  ...i32(3),
  ...shl,
  ...add,
  ...set(VROW),
  ...(dense
    ? []
    : [...get(COLS), ...get(B), ...get(CSTRIDE), ...mul, ...i32(2), ...shl, ...add, ...set(CROW)]),
  ...get(OUT),
  ...get(B),
  ...get(OUTPUTS),
  ...mul,
  ...i32(3),
  ...shl,
  ...add,
  ...set(OROW),
  ...i32(0),
  ...set(J),
  // eight outputs at a time while at least eight remain
  ...block,
  ...loop,
  ...get(OUTPUTS),
  ...get(J),
  ...sub,
  ...i32(8),
  ...ltU,
  ...brIf(1),
  ...outputBlock([A0, A1, A2, A3], dense),
  ...br(0),
  ...end,
  ...end,
  // then two at a time
  ...block,
  ...loop,
  ...get(J),
  ...get(OUTPUTS),
  ...geU,
  ...brIf(1),
  ...outputBlock([A0], dense),
  ...br(0),
  ...end,
  ...end,
  ...get(B),
  ...i32(1),
  ...add,
  ...set(B),
  ...br(0),
  ...end,
  ...end,
  ...end,
];

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const layerBody = bodyOf(false);
const denseBody = bodyOf(true);
const moduleBytes = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, [1, 0x60, 10, ...new Array<number>(10).fill(0x7f), 0]),
  ...section(3, [2, 0, 0]),
  ...section(5, [1, 0x00, 1]),
  ...section(7, [3, ...name("mem"), 0x02, 0, ...name("layer"), 0x00, 0, ...name("dense"), 0x00, 1]),
  ...section(10, [2, ...uleb(layerBody.length), ...layerBody, ...uleb(denseBody.length), ...denseBody]),
]);

/** One instantiated kernel and its memory. */
export interface SimdKernel {
  /** Runs the layer; every address is a byte offset into `memory()`. */
  layer(
    wt: number,
    bias: number,
    vals: number,
    cols: number,
    colStride: number,
    slots: number,
    rows: number,
    outputs: number,
    out: number,
    relu: number,
  ): void;
  /**
   * The same for a dense layer (same numbers): `vals` holds `rows` rows of `slots` = inputs values, and
   * the weights of input k are read at a fixed stride instead of through a column index; `cols` and
   * `colStride` are ignored.
   */
  dense: SimdKernel["layer"];
  /** The memory, grown to at least `bytes` (views of an older buffer are detached when it grows). */
  memory(bytes: number): ArrayBuffer;
}

let cached: SimdKernel | null | undefined;

/**
 * The SIMD layer kernel, or null where WebAssembly SIMD is not available (the caller then uses the
 * TypeScript loops). Instantiated once.
 * @example const k = simdKernel(); if (k) k.layer(...)
 */
export function simdKernel(): SimdKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!api?.validate(moduleBytes)) return null;
    const instance = new api.Instance(new api.Module(moduleBytes), {});
    const mem = instance.exports.mem as WasmMemory;
    const layer = instance.exports.layer as SimdKernel["layer"];
    const dense = instance.exports.dense as SimdKernel["layer"];
    cached = {
      layer,
      dense,
      memory(bytes) {
        const have = mem.buffer.byteLength;
        if (bytes > have) mem.grow(Math.ceil((bytes - have) / 65536));
        return mem.buffer;
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
