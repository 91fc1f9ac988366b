/**
 * The pieces of the open-addressing hash tables that compress customer rows to distinct rows with summed
 * weights (compressRfmData, compressSpendData): a murmur3-style hash of a row's raw 32-bit words and the
 * table's doubling. Each compressor keeps its own probe loop, unrolled for its row width: a generic loop
 * over the columns measured 40-70% slower at 1M rows. These small functions are inlined by V8.
 */

/** Starting value of a row hash. */
export const ROW_HASH_SEED = 0x2545f491;

/**
 * One murmur3 round over a word that is not the row's last: consecutive doubles differ mostly in low
 * mantissa bits, so every bit must reach the slot index or linear probing clusters.
 */
export function mixWord(h: number, word: number): number {
  h = Math.imul(h ^ word, 0xcc9e2d51);
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
}

/** The row's last word, then murmur3's fmix32 finaliser. */
export function finishHash(h: number, lastWord: number): number {
  h = Math.imul(h ^ lastWord, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The table at `capacity` slots of (row + 1, full hash) (0 = empty), every occupied slot of `old` re-placed
 * by linear probing from its stored hash.
 */
export function rehash(old: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const mask = capacity - 1;
  const table = new Int32Array(2 * capacity);
  for (let s = 0; s < old.length; s += 2) {
    if (old[s] === 0) continue;
    let to = old[s + 1]! & mask;
    while (table[2 * to] !== 0) to = (to + 1) & mask;
    table[2 * to] = old[s]!;
    table[2 * to + 1] = old[s + 1]!;
  }
  return table;
}
