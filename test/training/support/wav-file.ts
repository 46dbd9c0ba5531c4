/** Writes small 16-bit PCM WAV files into temporary folders for dataset and noise tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { encodeWav } from "../../../src/audio/index.js";

export { encodeWav };

export interface TempDir {
  readonly root: string;
  /** Writes a WAV at root/relative (folders created). Returns the absolute path. */
  wav(relative: string, samples: Float32Array | readonly Float32Array[], sampleRate: number): string;
  /** Writes a text file. */
  text(relative: string, content: string): string;
  remove(): void;
}

export function tempDir(prefix = "audioclass-training-"): TempDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (relative: string, content: Uint8Array | string): string => {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  return {
    root,
    wav: (relative, samples, sampleRate) => write(relative, encodeWav(samples instanceof Float32Array ? [samples] : samples, sampleRate)),
    text: (relative, content) => write(relative, content),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
