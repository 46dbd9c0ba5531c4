/**
 * Finding audio files: explicit files are taken as given; folders are searched recursively,
 * each directory's entries in sorted order (so the list, hence label ids and splits, do not
 * depend on the file system's listing order). Hidden entries (".…") and "__…" folders such as
 * __MACOSX are skipped, as Hugging Face datasets does.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { TrainingDataError } from "../errors.js";

/** Extensions audioclass decodes without ffmpeg. */
export const DEFAULT_AUDIO_EXTENSIONS: readonly string[] = Object.freeze([".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus"]);

function normaliseExtensions(extensions: readonly string[]): Set<string> {
  return new Set(extensions.map((e) => (e.startsWith(".") ? e : `.${e}`).toLowerCase()));
}

export function hasAudioExtension(path: string, extensions: readonly string[] = DEFAULT_AUDIO_EXTENSIONS): boolean {
  return normaliseExtensions(extensions).has(extname(path).toLowerCase());
}

function skipped(name: string): boolean {
  return name.startsWith(".") || name.startsWith("__");
}

async function walk(dir: string, extensions: Set<string>, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (skipped(entry.name)) continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => null);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) await walk(full, extensions, out);
    else if (isFile && extensions.has(extname(entry.name).toLowerCase())) out.push(full);
  }
}

/**
 * Absolute paths of the audio files among `paths` (files or folders). Throws TrainingDataError
 * for a path that does not exist.
 */
export async function listAudioFiles(paths: readonly string[], extensions: readonly string[] = DEFAULT_AUDIO_EXTENSIONS): Promise<string[]> {
  const wanted = normaliseExtensions(extensions);
  const out: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => null);
    if (info === null) throw new TrainingDataError(`${path} does not exist; pass an existing audio file or folder`);
    if (info.isDirectory()) await walk(full, wanted, out);
    else out.push(full);
  }
  return out;
}
