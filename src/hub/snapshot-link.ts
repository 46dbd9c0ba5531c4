/**
 * Puts a blob into a snapshot folder the way huggingface_hub's `_create_symlink` does: a
 * relative symlink (snapshots/<sha>/onnx/model.onnx → ../../../blobs/<etag>) so the cache can be
 * moved; where the file system refuses symlinks (Windows without developer mode, some network
 * mounts) the blob is moved in (fresh download) or copied (blob shared with another snapshot).
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

const symlinkSupport = new Map<string, Promise<boolean>>();

/** Whether relative symlinks work inside `cacheDir` (probed once per folder, like huggingface_hub). */
export function symlinksSupported(cacheDir: string): Promise<boolean> {
  const key = resolve(cacheDir);
  let known = symlinkSupport.get(key);
  if (known === undefined) {
    known = probeSymlinks(key);
    symlinkSupport.set(key, known);
  }
  return known;
}

async function probeSymlinks(cacheDir: string): Promise<boolean> {
  await mkdir(cacheDir, { recursive: true });
  const probe = join(cacheDir, `.symlink-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(probe);
    await writeFile(join(probe, "src"), "");
    await symlink("src", join(probe, "dst"));
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

export interface LinkOptions {
  /** True when the blob was just downloaded for this snapshot (it may then be moved in). */
  newBlob: boolean;
  useSymlinks: boolean;
}

/**
 * Makes `pointer` refer to `blob`, replacing whatever is there atomically (temp name + rename),
 * so a reader never sees a half-made file and concurrent writers cannot collide.
 */
export async function linkBlobIntoSnapshot(blob: string, pointer: string, options: LinkOptions): Promise<void> {
  await mkdir(dirname(pointer), { recursive: true });
  const tmp = `${pointer}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    if (options.useSymlinks) {
      await symlink(relative(dirname(pointer), blob), tmp);
      await rename(tmp, pointer);
    } else if (options.newBlob) {
      await rename(blob, pointer);
    } else {
      await copyFile(blob, tmp);
      await rename(tmp, pointer);
    }
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
