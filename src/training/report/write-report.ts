/** Writes a report file whole or not at all (temp file + rename): a browser reloading it never sees half a page. */
import { rename, rm, writeFile } from "node:fs/promises";
import { renameSync, rmSync, writeFileSync } from "node:fs";

export async function writeReport(path: string, html: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, html);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The same, synchronously (the training loop writes between steps). */
export function writeReportSync(path: string, html: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, html);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
