/**
 * Folders that appear complete or not at all. A folder is written under a temporary sibling name
 * (`<name>.tmp-<pid>-<random>`), every file fsynced, then renamed into place. Renaming cannot
 * replace a non-empty folder, so an existing one is first renamed aside (`<name>.old-<pid>-…`)
 * and deleted after the swap: a crash between the two renames leaves the previous folder intact
 * under its `.old-` name, and `recoverInterruptedFolders` puts it back.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, open, readdir, readlink, rename, rm, stat, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const TEMP_PATTERN = /^(.+)\.(tmp|old)-(\d+)(?:-[0-9a-f]+)?$/;

/** A fresh temporary folder next to `dest`, named `<name>.tmp-<pid>-<random>`. */
export async function createTempFolder(dest: string): Promise<string> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(temp);
  return temp;
}

/** Writes `data` to a new file and fsyncs it (the file must not exist: temp folders start empty). */
export async function writeFileSynced(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, "wx", 0o644);
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, offset);
      offset += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes renames and new entries in `dir` durable; best effort where folders cannot be fsynced. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms and file systems refuse to fsync a directory; the rename is still atomic.
  }
}

/** Moves the finished `temp` folder to `dest`, replacing a previous `dest` only now. */
export async function commitFolder(temp: string, dest: string): Promise<void> {
  await syncDirectory(temp);
  const previous = await exists(dest);
  let aside: string | undefined;
  if (previous) {
    aside = `${dest}.old-${process.pid}-${randomBytes(4).toString("hex")}`;
    await rename(dest, aside);
  }
  try {
    await rename(temp, dest);
  } catch (error) {
    if (aside) await rename(aside, dest).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(dest));
  if (aside) await rm(aside, { recursive: true, force: true });
}

/**
 * Recreates the entries of `from` (except those `skip` rejects) inside `to` as hard links — no
 * data is copied, and `from` stays untouched until the swap — falling back to a copy where the
 * file system refuses links. Used to keep a folder's other files (README, tokenizer files,
 * checkpoints) when a model is saved over it.
 */
export async function linkEntries(from: string, to: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const carried: string[] = [];
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    await linkTree(join(from, entry.name), join(to, entry.name), entry);
    carried.push(entry.name);
  }
  return carried;
}

async function linkTree(source: string, target: string, entry: { isDirectory(): boolean; isSymbolicLink(): boolean }): Promise<void> {
  if (entry.isSymbolicLink()) {
    await symlink(await readlink(source), target);
  } else if (entry.isDirectory()) {
    await mkdir(target);
    for (const child of await readdir(source, { withFileTypes: true })) await linkTree(join(source, child.name), join(target, child.name), child);
  } else {
    try {
      await link(source, target);
    } catch {
      await copyFile(source, target);
    }
  }
}

/** Removes a temporary folder after a failed write (never throws). */
export async function discardFolder(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Whether a process with this id is running (signal 0 only checks; it delivers nothing). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** What `recoverInterruptedFolders` did. */
export interface RecoveryReport {
  /** Unfinished `.tmp-` folders of dead processes, deleted. */
  readonly removed: string[];
  /** Previous folders put back because a swap was interrupted before the new one moved in. */
  readonly restored: string[];
}

/**
 * Cleans up after writers that died in `parent`: a `.tmp-` folder of a dead process is deleted
 * (it was never complete); an `.old-` folder is renamed back when its folder is missing (the swap
 * was interrupted), deleted otherwise. Folders of live processes are left alone.
 */
export async function recoverInterruptedFolders(parent: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { removed: [], restored: [] };
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return report;
    throw error;
  }
  for (const name of names.sort()) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || processAlive(Number(match[3]))) continue;
    const path = join(parent, name);
    const dest = join(parent, match[1]);
    if (match[2] === "old" && !(await exists(dest))) {
      await rename(path, dest);
      report.restored.push(dest);
    } else {
      await rm(path, { recursive: true, force: true });
      report.removed.push(path);
    }
  }
  if (report.removed.length + report.restored.length > 0) await syncDirectory(parent);
  return report;
}

/** True for names of temporary or set-aside folders, which are never checkpoints or models. */
export function isTransientFolderName(name: string): boolean {
  return TEMP_PATTERN.test(basename(name));
}
