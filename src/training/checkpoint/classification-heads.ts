/**
 * The audio-classification heads of the families we fine-tune, as the family descriptors define
 * them (models/<family>/: headParameters): the class name save_pretrained writes into
 * `architectures`, the head's parameters and shapes, and how `_init_weights` initialises each.
 * Parameters whose first dimension is the number of labels are "label-dependent": they are the
 * ones a new label set replaces. This file only adapts the descriptors to the JSON documents
 * training checkpoints keep (exact float spelling); it knows no family itself.
 */
import { AudioclassError } from "../../errors.js";
import { ModelConfig, type ParameterSpec, UnsupportedModelError, familyForModelType, supportedModelTypes } from "../../models/index.js";
import { CheckpointContentError } from "../checkpoint-errors.js";
import type { JsonDocument } from "./json-document.js";

/** How a head parameter starts: N(0, std²) (optionally truncated to [-2, 2] as trunc_normal_), zeros, or a constant. */
export type HeadInit = { readonly kind: "normal"; readonly std: number; readonly truncate?: readonly [number, number] } | { readonly kind: "fill"; readonly value: number };

export interface HeadParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: HeadInit;
  /** True when the shape depends on the number of labels. */
  readonly labelDependent: boolean;
}

export interface ClassificationHead {
  readonly modelType: string;
  /** The *For…Classification class transformers instantiates (config.json `architectures`). */
  readonly architecture: string;
  /** The head's parameters for `numLabels` labels, in initialisation order. */
  parameters(config: JsonDocument, numLabels: number): HeadParameter[];
}

function headParameter(spec: ParameterSpec, source: string): HeadParameter {
  const init = spec.init;
  if (init.kind !== "normal" && init.kind !== "fill") {
    throw new CheckpointContentError(`${source}: head parameter "${spec.name}" starts as ${init.kind}, which adapting a head to new labels does not draw`);
  }
  return { name: spec.name, shape: spec.shape, init, labelDependent: spec.labelDependent === true };
}

/** The head of `modelType`, or undefined for types without an audio-classification family here. */
export function classificationHeadFor(modelType: unknown): ClassificationHead | undefined {
  let family;
  try {
    family = familyForModelType(modelType);
  } catch (error) {
    if (error instanceof UnsupportedModelError) return undefined;
    throw error;
  }
  return {
    modelType: modelType as string,
    architecture: family.architectureClass,
    parameters(config, numLabels) {
      try {
        // The head's sizes come from the config; its labels are the ones asked for, not the config's.
        const withLabels = new ModelConfig({ ...config.toObject(), id2label: undefined, label2id: undefined, num_labels: numLabels }, config.source);
        return family.headParameters(withLabels, numLabels).map((spec) => headParameter(spec, config.source));
      } catch (error) {
        if (error instanceof AudioclassError && !(error instanceof CheckpointContentError)) throw new CheckpointContentError(error.message, { cause: error });
        throw error;
      }
    },
  };
}

export function classificationModelTypes(): string[] {
  return supportedModelTypes();
}
