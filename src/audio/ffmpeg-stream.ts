/**
 * ffmpeg_read as a stream: the file's bytes go into ffmpeg's stdin from a file stream and the
 * float32 samples come out of its stdout as they are decoded, so a long file is never held
 * whole. The arguments are ffmpeg_read's, so the samples equal decodeWithFfmpeg's bit for bit.
 */
import { FfmpegDecodeError } from "./errors.js";
import { ffmpegReadArgs, resolveFfmpegPath, spawnError } from "./ffmpeg.js";
import { nodeBuiltin } from "../util/node-builtin.js";

export function streamWithFfmpeg(path: string, samplingRate: number, signal?: AbortSignal): AsyncIterable<Float32Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const { spawn } = await nodeBuiltin<typeof import("node:child_process")>("child_process", "decoding with ffmpeg");
      const { createReadStream } = await nodeBuiltin<typeof import("node:fs")>("fs", "decoding with ffmpeg");
      const binary = resolveFfmpegPath();
      const child = spawn(binary, ffmpegReadArgs(samplingRate), { stdio: ["pipe", "pipe", "ignore"], windowsHide: true });
      const spawned = new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", (error: NodeJS.ErrnoException) => reject(spawnError(binary, error)));
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, sig) => resolve({ code, signal: sig })));
      const onAbort = () => child.kill("SIGKILL");
      signal?.addEventListener("abort", onAbort, { once: true });
      let produced = 0;
      try {
        await spawned;
        const source = createReadStream(path);
        source.on("error", () => child.kill("SIGKILL"));
        child.stdin.on("error", () => {}); // ffmpeg may stop reading early; its exit status tells
        source.pipe(child.stdin);
        let carry = new Uint8Array(0);
        for await (const piece of child.stdout as AsyncIterable<Uint8Array>) {
          signal?.throwIfAborted();
          const bytes = carry.length === 0 ? piece : concat(carry, piece);
          const whole = bytes.length - (bytes.length % 4);
          if (whole > 0) {
            // copy into an aligned buffer: pipe chunks need not start on a 4-byte boundary
            const samples = new Float32Array(whole / 4);
            new Uint8Array(samples.buffer).set(bytes.subarray(0, whole));
            produced += samples.length;
            yield samples;
          }
          carry = bytes.slice(whole);
        }
        const { code, signal: killed } = await exited;
        if (produced === 0) {
          throw new FfmpegDecodeError(path, `ffmpeg decoded no audio from ${path} (exit code ${code ?? killed}); the input is not audio ffmpeg can read, or it is corrupt`, { exitCode: code, stderr: "" });
        }
      } finally {
        signal?.removeEventListener("abort", onAbort);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
