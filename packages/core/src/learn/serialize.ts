import { issue, ValuecastError } from "../errors/issues.ts";
import type { DenseLayer } from "./network.ts";
import type { ZilnModel } from "./train.ts";

/** A ZILN model as JSON-ready data: the same fields with weights as plain number arrays. */
export interface ZilnModelJson extends Omit<ZilnModel, "layers"> {
  readonly layers: readonly {
    readonly inputs: number;
    readonly outputs: number;
    readonly weights: readonly number[];
    readonly bias: readonly number[];
  }[];
}

/**
 * Converts a model to JSON-ready data (`JSON.stringify` writes a Float64Array as an object of indices).
 * Doubles survive JSON exactly (shortest round-trip representation), so a reloaded model scores identically.
 * @example writeFile("model.json", JSON.stringify(zilnModelToJson(model)))
 */
export function zilnModelToJson(model: ZilnModel): ZilnModelJson {
  return {
    ...model,
    layers: model.layers.map((l) => ({
      inputs: l.inputs,
      outputs: l.outputs,
      weights: Array.from(l.weights),
      bias: Array.from(l.bias),
    })),
  };
}

/**
 * Rebuilds a model from `zilnModelToJson` output (e.g. parsed from a file), checking layer shapes.
 * @example const model = zilnModelFromJson(JSON.parse(text));
 */
export function zilnModelFromJson(json: ZilnModelJson): ZilnModel {
  if (json?.kind !== "ziln" || !Array.isArray(json.layers) || json.layers.length === 0) {
    throw new ValuecastError([issue("INVALID_DATA", "not a ZILN model file")]);
  }
  const layers: DenseLayer[] = json.layers.map((l, k) => {
    if (l.weights.length !== l.inputs * l.outputs || l.bias.length !== l.outputs) {
      throw new ValuecastError([
        issue("INVALID_DATA", `ZILN model layer ${k} has the wrong number of weights`),
      ]);
    }
    return {
      inputs: l.inputs,
      outputs: l.outputs,
      weights: Float64Array.from(l.weights),
      bias: Float64Array.from(l.bias),
    };
  });
  return { ...json, layers };
}
