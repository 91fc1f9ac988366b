import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scoreCustomers } from "../../src/clv/score.ts";
import { fitModel } from "../../src/fit/fit.ts";
import { bgbbModel, type DiscretePurchaseModel } from "../../src/models/bgbb/model.ts";
import { bgnbdModel } from "../../src/models/bgnbd/index.ts";
import type { PurchaseModel, PurchasePredictor } from "../../src/models/purchase-model.ts";
import type { DiscreteRfData, RfmData } from "../../src/models/types.ts";
import { donations } from "./bgbb/donations.ts";
import { cdnowRfm } from "./bgnbd/cdnow-data.ts";

/** One generic code path for every purchase model: fit on its own data type, then predict. */
function fitAndPredict<D>(model: PurchaseModel<D>, data: D): PurchasePredictor {
  return model.predictor(fitModel(model.spec, data).params);
}

describe("PurchaseModel<D>: BG/BB and the continuous-time models share the generic code path", () => {
  it("BG/BB is a PurchaseModel<DiscreteRfData> and reproduces Fader, Hardie & Shang (2010) through it", () => {
    const asGeneric: PurchaseModel<DiscreteRfData> = bgbbModel;
    const alias: DiscretePurchaseModel = bgbbModel;
    assert.equal(alias, asGeneric);
    const pred = fitAndPredict(bgbbModel, donations);
    assert.equal(pred.model, "bgbb");
    // Published: P(alive) 0.93 for (x, t_x, n) = (6, 6, 6); E[X(10)] 3.1798; 10-period CET for (4, 5) 3.6279.
    assert.ok(Math.abs(pred.pAlive(6, 6, 6) - 0.93) < 0.005, `${pred.pAlive(6, 6, 6)}`);
    assert.ok(Math.abs(pred.expectedPurchases(10) - 3.1798) < 5e-4, `${pred.expectedPurchases(10)}`);
    assert.ok(Math.abs(pred.conditionalExpectedPurchases(10, 4, 5, 6) - 3.6279) < 5e-4);
  });

  it("the default type parameter keeps PurchaseModel meaning the RfmData models (BG/NBD on CDNOW, FHL 2005 LL -9582.43)", () => {
    const m: PurchaseModel = bgnbdModel;
    const same: PurchaseModel<RfmData> = m;
    const data = cdnowRfm();
    const fit = fitModel(same.spec, data);
    assert.ok(Math.abs(fit.logLikelihood - -9582.43) < 0.01, `${fit.logLikelihood}`);
    assert.ok(fitAndPredict(bgnbdModel, data).pAlive(2, 30.43, 38.86) > 0);
  });

  it("BG/BB predictions go through the generic scorer (undiscounted 10-period purchases = CET, spend 1)", () => {
    const pred = fitAndPredict(bgbbModel, donations);
    const scores = scoreCustomers(
      pred,
      1,
      { x: Float64Array.of(0, 4, 6), t_x: Float64Array.of(0, 5, 6), T: Float64Array.of(6, 6, 6) },
      { horizon: 10 },
    );
    const cet = [0, 4, 6].map((x, i) => pred.conditionalExpectedPurchases(10, x, [0, 5, 6][i]!, 6));
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(scores.expectedPurchases[i]! - cet[i]!) <= 1e-12 * cet[i]!, `${i}`);
      assert.ok(Math.abs(scores.clv[i]! - cet[i]!) <= 1e-12 * cet[i]!, `${i}`);
    }
    // Published 10-period CET for (0, 0): 0.13022 (Fader, Hardie & Shang 2010).
    assert.ok(Math.abs(scores.expectedPurchases[0]! - 0.13022) < 5e-5);
  });
});
