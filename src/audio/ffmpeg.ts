/**
 * Decoding through an ffmpeg binary, exactly as Python's
 * `transformers.pipelines.audio_utils.ffmpeg_read` does — so the result is bit-for-bit the
 * waveform the Python pipeline sees, and anything ffmpeg reads (M4A, WebM, AIFF, …) works.
 */
import { AudioDecodeError, FfmpegDecodeError, FfmpegNotFoundError, messageOf } from "./errors.js";
import type { AudioData } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { checkSamplingRate } from "./sampling-rate.js";
import { nodeBuiltin } from "../util/node-builtin.js";

export interface FfmpegDecodeOptions {
  /**
   * Output rate: ffmpeg resamples to it (with its own resampler, as Python does). Default: the
   * file's own rate, read from ffmpeg's report of the output stream.
   */
  samplingRate?: number;
  /** The binary to run. Default: $AUDIOCLASS_FFMPEG, else "ffmpeg" on PATH. */
  ffmpegPath?: string;
  /** How to name the input in error messages. */
  name?: string;
  /** Aborting kills ffmpeg and rejects with the signal's reason. */
  signal?: AbortSignal;
}

const STDERR_LIMIT = 64 * 1024;

/** The arguments ffmpeg_read uses: mono float32 at `samplingRate`, nothing on stderr. */
export function ffmpegReadArgs(samplingRate: number): string[] {
  return ["-i", "pipe:0", "-ac", "1", "-ar", String(samplingRate), "-f", "f32le", "-hide_banner", "-loglevel", "quiet", "pipe:1"];
}

/** Without a target rate: same decode (no -ar keeps the rate), with the stream report on stderr. */
const NATIVE_RATE_ARGS = ["-i", "pipe:0", "-ac", "1", "-f", "f32le", "-hide_banner", "-nostats", "-loglevel", "info", "pipe:1"];

/** The binary decodeWithFfmpeg runs for these options. */
export function resolveFfmpegPath(ffmpegPath?: string): string {
  if (ffmpegPath !== undefined && ffmpegPath !== "") return ffmpegPath;
  const fromEnv = typeof process !== "undefined" ? process.env["AUDIOCLASS_FFMPEG"] : undefined;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : "ffmpeg";
}

/**
 * Decodes any format ffmpeg reads to one channel (`-ac 1`: stereo becomes (L+R)/√2), feeding
 * the bytes on stdin. Like Python, a non-zero exit with some audio written still returns that
 * audio; no audio at all is an FfmpegDecodeError. A missing binary is an FfmpegNotFoundError.
 */
export async function decodeWithFfmpeg(input: Uint8Array | ArrayBuffer, options: FfmpegDecodeOptions = {}): Promise<AudioData> {
  const bytes = toUint8Array(input);
  const name = options.name ?? describeBytes(bytes);
  if (bytes.length === 0) throw new AudioDecodeError(name, `cannot decode ${name}: it is empty (0 bytes)`);
  const target = options.samplingRate === undefined ? undefined : checkSamplingRate(options.samplingRate, "decodeWithFfmpeg option samplingRate");
  const binary = resolveFfmpegPath(options.ffmpegPath);
  const args = target === undefined ? NATIVE_RATE_ARGS : ffmpegReadArgs(target);
  const run = await runFfmpeg(binary, args, bytes, options.signal);

  const samples = run.stdout.byteLength >> 2;
  if (samples === 0) {
    const detail = run.stderr.trim() ? `: ${lastLines(run.stderr, 3)}` : "";
    throw new FfmpegDecodeError(
      name,
      `ffmpeg decoded no audio from ${name} (exit code ${run.exitCode ?? run.signalName})${detail}; ` +
        `the input is not audio ffmpeg can read, or it is corrupt`,
      { exitCode: run.exitCode, stderr: run.stderr },
    );
  }
  if (run.signalName !== null) {
    throw new FfmpegDecodeError(name, `ffmpeg was killed by ${run.signalName} while decoding ${name}`, { exitCode: null, stderr: run.stderr });
  }
  const samplingRate = target ?? outputRate(run.stderr);
  if (samplingRate === undefined) {
    throw new FfmpegDecodeError(name, `could not learn the sample rate of ${name} from ffmpeg's report; pass samplingRate explicitly`, {
      exitCode: run.exitCode,
      stderr: run.stderr,
    });
  }
  return { samplingRate, channels: [new Float32Array(run.stdout.buffer, run.stdout.byteOffset, samples)] };
}

/** "Output #0, f32le, to 'pipe:1': … Stream #0:0: Audio: pcm_f32le, 44100 Hz, mono, flt" */
function outputRate(stderr: string): number | undefined {
  const output = stderr.indexOf("Output #0");
  if (output < 0) return undefined;
  const match = /Audio: pcm_f32le[^\n]*?, (\d+) Hz/.exec(stderr.slice(output));
  return match ? Number(match[1]) : undefined;
}

interface FfmpegRun {
  stdout: Uint8Array;
  stderr: string;
  exitCode: number | null;
  signalName: string | null;
}

async function runFfmpeg(binary: string, args: string[], stdin: Uint8Array, signal?: AbortSignal): Promise<FfmpegRun> {
  signal?.throwIfAborted();
  const { spawn } = await nodeBuiltin<typeof import("node:child_process")>("child_process", "decoding with ffmpeg"); // not imported: browser bundles never see it
  return new Promise<FfmpegRun>((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    const chunks: Uint8Array[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      action();
    };
    const onAbort = () => {
      child.kill("SIGKILL");
      // Let go of the pipes too: a wrapper script's own children could keep them open.
      child.stdin.destroy();
      child.stdout.destroy();
      child.stderr.destroy();
      finish(() => reject(signal!.reason));
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    child.on("error", (error: NodeJS.ErrnoException) => {
      finish(() => reject(spawnError(binary, error)));
    });
    child.stdout.on("data", (chunk: Uint8Array) => {
      chunks.push(chunk);
      stdoutBytes += chunk.byteLength;
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_LIMIT);
    });
    // ffmpeg may stop reading early (bad input, or it has what it needs): EPIPE is not our error,
    // its exit status and output tell what happened.
    child.stdin.on("error", () => {});
    child.on("close", (exitCode: number | null, signalName: NodeJS.Signals | null) => {
      finish(() => resolve({ stdout: concat(chunks, stdoutBytes), stderr, exitCode, signalName }));
    });
    child.stdin.end(stdin);
  });
}

export function spawnError(binary: string, error: NodeJS.ErrnoException): Error {
  if (error.code === "ENOENT" || error.code === "EACCES" || error.code === "ENOTDIR") {
    const why = error.code === "ENOENT" ? "was not found" : "could not be executed";
    return new FfmpegNotFoundError(
      binary,
      `decoder "ffmpeg" needs the ffmpeg program, but ${JSON.stringify(binary)} ${why} (${error.code}). ` +
        `Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), ` +
        `point AUDIOCLASS_FFMPEG or the ffmpegPath option at the binary, or use the built-in decoder (decoder: "builtin") ` +
        `for WAV, MP3, FLAC, Ogg Vorbis and Ogg Opus`,
      { cause: error },
    );
  }
  return new FfmpegNotFoundError(binary, `could not start ${JSON.stringify(binary)}: ${messageOf(error)}`, { cause: error });
}

/** One aligned buffer (Float32Array needs a 4-byte-aligned offset; pipe chunks need not be). */
function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function lastLines(text: string, count: number): string {
  return text.trim().split(/\r?\n/).slice(-count).join(" | ");
}
