/**
 * Turns the CLI's FILES|DIRS arguments into a list of audio files: files are taken as given
 * (whatever their extension — the decoder sniffs the bytes), directories expand recursively to
 * the audio files inside, sorted so runs are reproducible.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { InvalidArgumentError } from "../errors.js";

/** Extensions we look for inside directories (lower case, with the dot). */
export const AUDIO_EXTENSIONS = new Set([
  ".wav", ".wave", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".webm", ".mka", ".aif", ".aiff", ".caf", ".wma",
]);

export interface ExpandedInputs {
  files: string[];
  /** Arguments that were neither a readable file nor a directory, with the reason. */
  missing: Array<{ input: string; reason: string }>;
}

/**
 * Symbolic links are followed, as `evaluate` and `train` follow them (a folder of links to a
 * corpus is common); a link cycle is walked once, found by the real path of each directory.
 */
async function walk(dir: string, out: string[], visited: Set<string>): Promise<void> {
  const real = await realpath(dir).catch(() => dir);
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined); // a dangling link is skipped
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDirectory) await walk(full, out, visited);
    else if (isFile && AUDIO_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
  }
}

export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  if (inputs.length === 0) {
    throw new InvalidArgumentError("no input files: pass one or more audio files or directories, e.g. `audioclass classify clip.wav recordings/`");
  }
  const files: string[] = [];
  const missing: ExpandedInputs["missing"] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      files.push(input); // URLs are fetched by the decoder
      continue;
    }
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      missing.push({ input, reason: code === "ENOENT" ? "no such file or directory" : `cannot read it (${code ?? String(error)})` });
      continue;
    }
    if (info.isDirectory()) {
      const before = files.length;
      await walk(input, files, new Set());
      if (files.length === before) {
        missing.push({ input, reason: `directory holds no audio files (looked for ${[...AUDIO_EXTENSIONS].join(" ")})` });
      }
    } else {
      files.push(input);
    }
  }
  return { files, missing };
}
