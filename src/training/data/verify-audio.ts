/**
 * Checking, before training starts, that every file of a dataset decodes: a corrupt file found
 * in epoch 3 wastes hours, one found at construction costs seconds. Each file is decoded at its
 * own rate (no resampling) and must hold at least one sample; the decoded length gives the
 * example's duration.
 */
import { readAudio } from "../../audio/read-audio.js";
import { createProgressBar, type ProgressBar } from "../../util/progress.js";
import type { AudioExample } from "./audio-example.js";

export interface BadAudioFile {
  readonly path: string;
  readonly reason: string;
}

export interface VerifyResult {
  /** The examples that decoded, with `duration` filled in, in the original order. */
  readonly good: AudioExample[];
  readonly bad: BadAudioFile[];
}

export interface VerifyOptions {
  /** Show a progress bar on stderr. Default false. */
  progress?: boolean;
  /** Files decoded at once (reading overlaps decoding). Default 4. */
  concurrency?: number;
}

async function durationOf(path: string): Promise<number> {
  const audio = await readAudio(path, { mono: true });
  const samples = audio.channels[0]!.length;
  if (samples === 0) throw new Error("it holds no audio samples");
  return samples / audio.samplingRate;
}

/** Decodes every example's file; never throws for a bad file, reports it instead. */
export async function verifyAudioFiles(examples: readonly AudioExample[], options: VerifyOptions = {}): Promise<VerifyResult> {
  const results: (AudioExample | BadAudioFile)[] = new Array(examples.length);
  const bar: ProgressBar | undefined = options.progress === true ? createProgressBar({ label: "checking audio", total: examples.length }) : undefined;
  // identical paths are decoded once
  const pending = new Map<string, Promise<number>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < examples.length) {
      const i = next++;
      const example = examples[i]!;
      let duration = pending.get(example.path);
      if (duration === undefined) {
        duration = durationOf(example.path);
        pending.set(example.path, duration);
      }
      try {
        results[i] = { ...example, duration: await duration };
      } catch (error) {
        results[i] = { path: example.path, reason: error instanceof Error ? error.message : String(error) };
      }
      bar?.increment(1);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, examples.length));
  await Promise.all(Array.from({ length: workers }, worker));
  bar?.finish();
  const good: AudioExample[] = [];
  const bad: BadAudioFile[] = [];
  for (const r of results) {
    if ("labels" in r) good.push(r);
    else bad.push(r);
  }
  return { good, bad };
}

/** "a.wav: reason" lines for up to `limit` files, with a count of the rest. */
export function describeBadFiles(bad: readonly BadAudioFile[], limit = 10): string {
  // decoder messages usually name the file already
  const lines = bad.slice(0, limit).map((b) => `  ${b.reason.includes(b.path) ? b.reason : `${b.path}: ${b.reason}`}`);
  if (bad.length > limit) lines.push(`  … and ${bad.length - limit} more`);
  return lines.join("\n");
}
