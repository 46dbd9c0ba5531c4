/**
 * The lines of `audioclass train --help` that give each family's recipe defaults, made from the
 * family descriptors (models/<family>/ trainingDefaults) so the help cannot disagree with the
 * Trainer. Families with the same defaults share a line.
 */
import { type FamilyTrainingDefaults, audioClassificationFamilies } from "../models/index.js";

function describe(d: FamilyTrainingDefaults): string {
  const parts = [`lr ${d.learningRate < 1e-3 ? d.learningRate.toExponential() : d.learningRate}`, `batch ${d.batchSize}`, `grad-accum ${d.gradientAccumulationSteps}`, `epochs ${d.epochs}`, `freeze ${d.freeze}`];
  if (d.maxDurationSeconds !== undefined) parts.push(`max-duration ${d.maxDurationSeconds}`);
  return parts.join(", ");
}

export function familyDefaultsHelp(indent = "  "): string {
  const groups = new Map<string, string[]>();
  for (const family of audioClassificationFamilies()) {
    const key = describe(family.trainingDefaults);
    groups.set(key, [...(groups.get(key) ?? []), family.name]);
  }
  return [...groups].map(([defaults, names]) => `${indent}${names.join(", ")}:\n${indent}  ${defaults}`).join("\n");
}
