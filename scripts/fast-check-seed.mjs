// Loaded into every test process by scripts/run-tests.mjs. Property tests draw their cases from a random
// seed, so a rare failing case shows in one run and not the next (a CI dry run on 2026-12-07 drew a
// hyp2f1 case where the reference library was off by 1.3e-8). Under CI the seed is fixed, so CI runs the
// same cases every time; locally each run draws new ones. FC_SEED=<number> replays a seed anywhere, and
// FC_SEED=random draws new cases under CI too. A failing property prints its seed and path.
import fc from "fast-check";

const seed = process.env.FC_SEED ?? (process.env.CI === "true" ? "20261207" : "random");
if (seed !== "random") fc.configureGlobal({ seed: Number(seed) });
