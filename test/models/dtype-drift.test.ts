/**
 * dtype "q8" and "fp16" against "fp32" on every family's fixture model, over every fixture case.
 *
 * Tolerances (max |Δ logit| over all cases) are about 1.5× what was measured when they were set,
 * per family because the tiny random models differ in how far int8 moves them:
 *   q8:   AST 0.232, wav2vec2 0.141, HuBERT 0.093, WavLM 0.093, Whisper 0.052, CLAP logits_per_audio 0.083
 *   fp16: ≤ 0.0029 everywhere (CLAP 0.0024)
 * Scores (softmax over the labels) moved at most 0.043 (q8) and 0.00037 (fp16).
 * The top label must not change wherever fp32's top-2 margin exceeds twice the logit tolerance:
 * a margin that wide cannot be crossed by logits that each move less than the tolerance.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AutoModelForAudioClassification, ClapModel, type ModelDType } from "../../src/models/index.js";
import type { Tensor } from "../../src/tensor.js";
import { type ArrayRef, caseFiles, loadArray, loadFloat, modelDir, readJson } from "../helpers/fixtures.js";

const Q8_LOGIT_TOLERANCE: Record<string, number> = { ast: 0.33, wav2vec2: 0.21, hubert: 0.14, wavlm: 0.14, whisper: 0.08, clap: 0.125 };
const FP16_LOGIT_TOLERANCE = 0.005;
const SCORE_TOLERANCE: Record<"q8" | "fp16", number> = { q8: 0.065, fp16: 0.0006 };

function features(refs: Record<string, ArrayRef>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, ref] of Object.entries(refs)) {
    const data = loadArray(ref);
    out[name] = data instanceof Int32Array ? { type: "int32", dims: ref.shape, data } : { type: "float32", dims: ref.shape, data };
  }
  return out;
}

function softmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

interface Drift {
  logit: number;
  score: number;
  /** Cases whose fp32 margin made the top label binding, and how many kept it. */
  binding: number;
  kept: number;
}

function compare(drift: Drift, exact: ArrayLike<number>, reduced: ArrayLike<number>, tolerance: number): void {
  const [p, q] = [softmax(exact), softmax(reduced)];
  for (let i = 0; i < exact.length; i++) {
    drift.logit = Math.max(drift.logit, Math.abs(reduced[i]! - exact[i]!));
    drift.score = Math.max(drift.score, Math.abs(q[i]! - p[i]!));
  }
  const indices = Array.from({ length: exact.length }, (_, i) => i);
  const order = [...indices].sort((a, b) => exact[b]! - exact[a]!);
  if (exact[order[0]!]! - exact[order[1]!]! > 2 * tolerance) {
    drift.binding++;
    const top = indices.reduce((best, i) => (reduced[i]! > reduced[best]! ? i : best), 0);
    if (top === order[0]) drift.kept++;
  }
}

function check(family: string, dtype: "q8" | "fp16", drift: Drift, tolerance: number): void {
  assert.ok(drift.logit <= tolerance, `${family} ${dtype}: max |Δ logit| ${drift.logit} > ${tolerance}`);
  assert.ok(drift.score <= SCORE_TOLERANCE[dtype], `${family} ${dtype}: max |Δ score| ${drift.score} > ${SCORE_TOLERANCE[dtype]}`);
  assert.ok(drift.binding > 0, `${family} ${dtype}: some case must have a clear fp32 margin (> ${2 * tolerance})`);
  assert.equal(drift.kept, drift.binding, `${family} ${dtype}: top label changed in ${drift.binding - drift.kept} of ${drift.binding} clear cases`);
}

const tolerance = (family: string, dtype: "q8" | "fp16"): number => (dtype === "q8" ? Q8_LOGIT_TOLERANCE[family]! : FP16_LOGIT_TOLERANCE);

describe("q8 and fp16 stay close to fp32 on every family's fixture model", () => {
  for (const family of ["ast", "wav2vec2", "hubert", "wavlm", "whisper"]) {
    test(family, async () => {
      const load = (dtype: ModelDType) => AutoModelForAudioClassification.fromPretrained(modelDir(family), { dtype, cache: false, weightsCacheDir: false, threads: 1 });
      const [fp32, q8, fp16] = await Promise.all([load("fp32"), load("q8"), load("fp16")]);
      try {
        assert.deepEqual([q8.report.dtype, q8.report.convertedWeights?.cache, fp16.report.convertedWeights?.cache], ["q8", "off", "off"]);
        const drift = { q8: { logit: 0, score: 0, binding: 0, kept: 0 }, fp16: { logit: 0, score: 0, binding: 0, kept: 0 } };
        for (const file of caseFiles(family)) {
          const c = readJson(file);
          for (const refs of [c.features, c.dict_input?.features].filter((f) => f !== undefined)) {
            const input = features(refs);
            const exact = (await fp32.forward(input)).data;
            compare(drift.q8, exact, (await q8.forward(input)).data, tolerance(family, "q8"));
            compare(drift.fp16, exact, (await fp16.forward(input)).data, tolerance(family, "fp16"));
          }
        }
        check(family, "q8", drift.q8, tolerance(family, "q8"));
        check(family, "fp16", drift.fp16, tolerance(family, "fp16"));
      } finally {
        await Promise.all([fp32.dispose(), q8.dispose(), fp16.dispose()]);
      }
    });
  }

  test("clap (zero-shot logits_per_audio)", async () => {
    const int64 = (ref: ArrayRef): Tensor<"int64"> => ({ type: "int64", dims: ref.shape, data: BigInt64Array.from(loadArray(ref), (v) => BigInt(v)) });
    const load = (dtype: ModelDType) => ClapModel.fromPretrained(modelDir("clap"), { dtype, cache: false, weightsCacheDir: false, threads: 1 });
    const models = await Promise.all([load("fp32"), load("q8"), load("fp16")]);
    try {
      const drift = { q8: { logit: 0, score: 0, binding: 0, kept: 0 }, fp16: { logit: 0, score: 0, binding: 0, kept: 0 } };
      for (const file of caseFiles("clap")) {
        const c = readJson(file);
        const input = { input_features: { type: "float32" as const, dims: c.features.input_features.shape, data: loadFloat(c.features.input_features) } };
        const audio = await Promise.all(models.map((m) => m.audioEmbeddings(input)));
        for (const z of c.zero_shot) {
          const tokens = { input_ids: int64(z.text_inputs.input_ids), attention_mask: int64(z.text_inputs.attention_mask) };
          const logits = await Promise.all(models.map(async (m, i) => m.logitsPerAudio(audio[i]!, await m.textEmbeddings(tokens)).data));
          compare(drift.q8, logits[0]!, logits[1]!, tolerance("clap", "q8"));
          compare(drift.fp16, logits[0]!, logits[2]!, tolerance("clap", "fp16"));
        }
      }
      check("clap", "q8", drift.q8, tolerance("clap", "q8"));
      check("clap", "fp16", drift.fp16, tolerance("clap", "fp16"));
    } finally {
      await Promise.all(models.map((m) => m.dispose()));
    }
  });
});
