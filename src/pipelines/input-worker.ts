/**
 * The worker-thread side of InputWorkerPool: builds the feature extractor once, then prepares
 * each input it is sent (decode, resample, per-clip features) and sends the clip back, its
 * buffers transferred, not copied. Errors go back as { name, code, message }.
 */
import { parentPort, workerData } from "node:worker_threads";
import { featureExtractorFromConfig } from "../features/index.js";
import type { FeatureExtractorOutput } from "../features/index.js";
import { type PrepareOptions, prepareClip } from "./prepared-clip.js";

export interface InputWorkerInit {
  extractorConfig: Record<string, unknown>;
  prepare: PrepareOptions;
}

export type InputWorkerRequest = { id: number; input: string | Uint8Array };
export type InputWorkerReply =
  | { id: number; clip: { samples: number; waveform?: Float32Array; features?: FeatureExtractorOutput } }
  | { id: number; error: { name: string; code: string | undefined; message: string } };

const init = workerData as InputWorkerInit;
const extractor = featureExtractorFromConfig(init.extractorConfig, { source: "the pipeline's feature extractor" });

parentPort!.on("message", async ({ id, input }: InputWorkerRequest) => {
  try {
    const clip = await prepareClip(input, extractor, init.prepare);
    const transfer: ArrayBuffer[] = [];
    if (clip.waveform) transfer.push(clip.waveform.buffer as ArrayBuffer);
    for (const t of Object.values(clip.features ?? {})) transfer.push(t.data.buffer as ArrayBuffer);
    parentPort!.postMessage({ id, clip } satisfies InputWorkerReply, [...new Set(transfer)]);
  } catch (error) {
    const e = error as Error & { code?: string };
    parentPort!.postMessage({ id, error: { name: e?.name ?? "Error", code: e?.code, message: e?.message ?? String(error) } } satisfies InputWorkerReply);
  }
});
