/**
 * The one entry point every `fromPretrained`, `pipeline(...)` and CLI `--model` calls: turns what
 * the user typed into a folder holding config.json and weights. An existing local folder wins
 * (as in transformers); otherwise the reference is a hub id, served from the cache or downloaded.
 */
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { downloadSnapshot, hubRefWithRevision } from "./download-model.js";
import { InvalidModelRefError, ModelFolderNotFoundError } from "./errors.js";
import { toFileSelector } from "./file-selection.js";
import { resolveHubSettings, type HubOptions } from "./hub-options.js";

export type ResolveModelOptions = HubOptions;

export interface ResolvedModel {
  /** Absolute folder with the model files (a local folder, or snapshots/<commit>/ in the cache). */
  dir: string;
  /** Hub id, when the reference was one. */
  id?: string;
  /** Revision asked for ("main" by default), for hub references. */
  revision?: string;
  /** Commit sha the revision resolved to, for hub references. */
  commit?: string;
  /** Where the files came from: a local folder, the cache untouched, or (partly) downloaded now. */
  source: "folder" | "cache" | "download";
}

export async function resolveModel(ref: string, options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  if (typeof ref !== "string" || ref.length === 0) {
    throw new InvalidModelRefError(`A model reference must be a non-empty string: a hub id ("org/name", "org/name@revision") or a folder; got ${JSON.stringify(ref)}.`);
  }
  const folder = await localFolder(ref, options);
  if (folder !== undefined) {
    if (options.revision !== undefined) {
      throw new InvalidModelRefError(`${JSON.stringify(ref)} is a local folder; a revision ("${options.revision}") applies only to hub ids. Drop the revision.`);
    }
    return { dir: folder, source: "folder" };
  }
  const { id, revision } = hubRefWithRevision(ref, options.revision);
  const result = await downloadSnapshot(resolveHubSettings(options), id, revision, toFileSelector(options.files));
  return {
    dir: result.dir,
    id,
    revision,
    commit: result.commit,
    source: result.files.some((file) => file.downloaded) ? "download" : "cache",
  };
}

/** The absolute folder `ref` names, undefined when it is not a path; throws for path-like refs that do not exist. */
async function localFolder(ref: string, options: ResolveModelOptions): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const expanded = ref === "~" || ref.startsWith("~/") ? join(env.HOME ?? homedir(), ref.slice(1)) : ref;
  const full = isAbsolute(expanded) ? expanded : resolve(expanded);
  let info;
  try {
    info = await stat(full);
  } catch {
    info = undefined;
  }
  if (info?.isDirectory()) return full;
  if (info?.isFile()) {
    throw new ModelFolderNotFoundError(full, `${JSON.stringify(ref)} is a file, not a model folder; pass the folder that holds config.json (e.g. ${JSON.stringify(dirname(full))}).`);
  }
  // URLs get parseModelRef's "pass the id instead" advice rather than "no such folder".
  if (looksLikePath(ref) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
    throw new ModelFolderNotFoundError(
      full,
      `No folder at ${full} (from ${JSON.stringify(ref)}), and a path is not a hub id. ` +
        `Pass an existing folder with config.json, or a hub id such as "MIT/ast-finetuned-speech-commands-v2".`,
    );
  }
  return undefined;
}

/** Paths, not ids: "./x", "../x", "/x", "~/x", "C:\\x", "a\\b", or more than one "/" before any "@". */
function looksLikePath(ref: string): boolean {
  const beforeAt = ref.split("@")[0] ?? ref;
  return (
    ref.startsWith(".") ||
    ref.startsWith("/") ||
    ref.startsWith("~") ||
    ref.includes("\\") ||
    /^[A-Za-z]:/.test(ref) ||
    beforeAt.split("/").length > 2
  );
}
