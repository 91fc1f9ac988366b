// Test fixture: the donation data of Fader, Hardie & Shang (2010), as shipped in lifetimes' datasets folder
// (/work/shared/data/donations.csv: frequency,recency,periods,weights = x, t_x, n, donors). 22 patterns,
// 11,104 donors of the 1995 cohort, 6 annual donation opportunities (1996-2001). Embedded (it is tiny) so
// the tests run in a fresh clone; donations.test.ts checks it against the shared file when present.
import { discreteRfData } from "../../../src/models/bgbb/data.ts";

export const DONATION_ROWS: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 6, 3464],
  [1, 1, 6, 1091],
  [1, 2, 6, 277],
  [1, 3, 6, 129],
  [1, 4, 6, 78],
  [1, 5, 6, 119],
  [1, 6, 6, 129],
  [2, 2, 6, 613],
  [2, 3, 6, 255],
  [2, 4, 6, 155],
  [2, 5, 6, 173],
  [2, 6, 6, 234],
  [3, 3, 6, 322],
  [3, 4, 6, 181],
  [3, 5, 6, 225],
  [3, 6, 6, 357],
  [4, 4, 6, 240],
  [4, 5, 6, 284],
  [4, 6, 6, 512],
  [5, 5, 6, 335],
  [5, 6, 6, 728],
  [6, 6, 6, 1203],
];

export const donations = discreteRfData(
  DONATION_ROWS.map((r) => r[0]),
  DONATION_ROWS.map((r) => r[1]),
  DONATION_ROWS.map((r) => r[2]),
  DONATION_ROWS.map((r) => r[3]),
);

/** The published maximum-likelihood estimates (Fader, Hardie & Shang 2010; Hardie's BG/BB spreadsheet note). */
export const PUBLISHED = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 } as const;
