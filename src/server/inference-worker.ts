/**
 * One inference worker process (util/module-process.ts): loads the pipelines once (sessions warmed up with a second of
 * silence, so the first request does not pay for ORT's first run), then runs one request at a
 * time. ONNX Runtime's session.run blocks its thread, which is why it runs here and not on the
 * server's event loop; and a process, unlike a thread, can be killed mid-run when its request
 * is past its deadline. The first message from the pool is the WorkerSetup; then requests.
 *
 * A request's bytes take the pipeline's own input path (decoding, downmix, resampling); the
 * decoded duration is checked before the model runs.
 */
import { AudioclassError } from "../errors.js";
import { parentChannel } from "../util/module-process.js";
import "../models/node-platform.js"; // Node's model loaders: this process imports pipeline files, not an entry
import { createAudioClassificationPipeline, type AudioClassifier } from "../pipelines/audio-classification.js";
import { createZeroShotAudioClassificationPipeline, type ZeroShotAudioClassificationPipeline } from "../pipelines/zero-shot-audio-classification.js";
import { statusOf } from "./error-status.js";
import { AudioTooLongError, RequestOptionError, ZeroShotUnavailableError } from "./errors.js";
import type { InferenceRequest, InferenceResult, ModelsInfo, TaskFailure, TaskMessage, WorkerMessage, WorkerSetup } from "./inference-task.js";

/** A tiny hop over long audio would mean hours of work and a response of hundreds of MB. */
export const MAX_WINDOWS_PER_REQUEST = 10_000;

/** How many windows the pipeline will score (audio-windows.ts: the last is the first to reach the end); 0 without windows. */
function windowCount(seconds: number, options: { window?: number; hop?: number }, inputSeconds: number | undefined): number {
  if (options.window === undefined && options.hop === undefined) return 0;
  const window = options.window ?? inputSeconds;
  if (window === undefined) return 0; // the pipeline refuses this itself
  const hop = options.hop ?? window;
  return seconds <= window ? 1 : Math.ceil((seconds - window) / hop) + 1;
}

function failureOf(error: unknown): TaskFailure {
  if (error instanceof AudioclassError) return { type: error.name, message: error.message, status: statusOf(error), unexpected: false };
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: e.name, message: e.message, status: 500, unexpected: true, ...(e.stack !== undefined && { stack: e.stack }) };
}

interface Pipelines {
  classifier: AudioClassifier;
  zeroShot: ZeroShotAudioClassificationPipeline | undefined;
}

async function load(setup: WorkerSetup): Promise<Pipelines> {
  const sessionOptions = { threads: setup.threads, ...(setup.maxMemoryMB !== undefined && { maxMemoryMB: setup.maxMemoryMB }) };
  const classifier = await createAudioClassificationPipeline(setup.classifierDir, sessionOptions);
  await classifier(new Float32Array(classifier.samplingRate));
  let zeroShot: ZeroShotAudioClassificationPipeline | undefined;
  if (setup.zeroShotDir !== undefined) {
    zeroShot = await createZeroShotAudioClassificationPipeline(setup.zeroShotDir, sessionOptions);
    await zeroShot(new Float32Array(zeroShot.samplingRate), { candidateLabels: ["silence"] });
  }
  return { classifier, zeroShot };
}

function describe(pipelines: Pipelines, setup: WorkerSetup): ModelsInfo {
  const { classifier, zeroShot } = pipelines;
  return {
    classify: { dir: setup.classifierDir, labels: [...classifier.model.labels], samplingRate: classifier.samplingRate, inputSeconds: classifier.inputSeconds },
    ...(zeroShot !== undefined && { zeroShot: { dir: setup.zeroShotDir!, samplingRate: zeroShot.samplingRate, inputSeconds: zeroShot.inputSeconds } }),
  };
}

async function run(pipelines: Pipelines, request: InferenceRequest, maxAudioSeconds: number): Promise<InferenceResult> {
  const pipeline = request.kind === "classify" ? pipelines.classifier : pipelines.zeroShot;
  if (pipeline === undefined) throw new ZeroShotUnavailableError("this server has no zero-shot model: start it with --zero-shot-model <CLAP folder or hub id>");
  const samples = await pipeline.loadAudio(request.audio);
  const seconds = samples.length / pipeline.samplingRate;
  if (seconds > maxAudioSeconds) {
    throw new AudioTooLongError(
      `the audio lasts ${seconds.toFixed(1)} s; this server classifies at most ${maxAudioSeconds} s per request (--max-audio-seconds): send a shorter clip`,
      seconds,
      maxAudioSeconds,
    );
  }
  const windows = windowCount(seconds, request.options, pipeline.inputSeconds);
  if (windows > MAX_WINDOWS_PER_REQUEST) {
    throw new RequestOptionError(`window ${request.options.window ?? pipeline.inputSeconds} s, hop ${request.options.hop ?? request.options.window} s over ${seconds.toFixed(1)} s of audio make ${windows} windows; this server scores at most ${MAX_WINDOWS_PER_REQUEST} per request: use a larger hop`);
  }
  // Float32Array input is taken as already at the model's rate, so this is the same computation
  // as classify(bytes, options) without decoding twice.
  return (await pipeline.run(samples, request.options as never)) as InferenceResult;
}

const parent = parentChannel("inference-worker.ts");
const post = (message: WorkerMessage, then?: () => void): void => void parent.send(message, undefined, {}, then);

parent.once("message", (setup: WorkerSetup) => {
  load(setup).then(
    (pipelines) => {
      parent.on("message", (message: TaskMessage) => {
        run(pipelines, message.request, setup.maxAudioSeconds).then(
          (result) => post({ type: "result", id: message.id, result }),
          (error: unknown) => post({ type: "failed", id: message.id, error: failureOf(error) }),
        );
      });
      post({ type: "ready", models: describe(pipelines, setup) });
    },
    // Nothing is left to do once the pool knows why.
    (error: unknown) => post({ type: "load-failed", error: failureOf(error) }, () => process.exit(1)),
  );
});
