/**
 * `--output FILE` (and `--resume`): results of a long run that survive the run being killed.
 *
 * While the run goes, each record is appended to a journal, FILE.partial (JSON Lines, one write
 * per record, so a kill -9 loses at most the record being written). At the end the records are
 * written in the chosen format to a temporary file, synced and renamed over FILE: FILE is either
 * the previous complete output or the new one, never half of one. With `--resume`, the records
 * already in FILE and in the journal count as done: files with predictions are skipped, failed
 * ones are tried again, and every file ends with exactly one record.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { InvalidArgumentError } from "../errors.js";
import { type FileResult, type OutputFormat, type RecordMode, ResultWriter } from "./output-format.js";
import { parseJsonLines, parseResults } from "./read-results.js";

/** The journal keeps one line per finished file (its windows or events together). */
function journalLine(record: FileResult): string {
  return JSON.stringify(record) + "\n";
}

export class ResultFile {
  private readonly records = new Map<string, FileResult>();
  private readonly journal: number;

  private constructor(
    readonly path: string,
    private readonly format: OutputFormat,
    private readonly mode: RecordMode,
    previous: readonly FileResult[],
  ) {
    for (const record of previous) {
      this.records.delete(record.file); // the latest record of a file wins, in its latest place
      this.records.set(record.file, record);
    }
    // The journal restarts from what is known, without a half-written last line (replaced by a
    // rename, so a kill at this moment leaves the old journal or the new one).
    const temp = `${this.journalPath}.tmp-${process.pid}`;
    writeFileSync(temp, [...this.records.values()].map(journalLine).join(""));
    renameSync(temp, this.journalPath);
    this.journal = openSync(this.journalPath, "a");
  }

  get journalPath(): string {
    return `${this.path}.partial`;
  }

  /**
   * Opens the output. With `resume`, reads what earlier runs left; without it, an interrupted
   * run's journal is set aside (`note` says so) and the run starts over.
   */
  static open(path: string, format: OutputFormat, options: { resume: boolean; mode?: RecordMode; note: (text: string) => void }): ResultFile {
    const journalPath = `${path}.partial`;
    if (options.resume && format === "table") throw new InvalidArgumentError("--resume needs --format json, jsonl or csv (a table cannot be read back)");
    const previous: FileResult[] = [];
    if (options.resume) {
      if (existsSync(path)) previous.push(...parseResults(readFileSync(path, "utf8"), format, path));
      if (existsSync(journalPath)) previous.push(...parseJsonLines(readFileSync(journalPath, "utf8"), journalPath));
    } else if (existsSync(journalPath)) {
      options.note(`${journalPath} is left from an interrupted run; starting over (pass --resume to continue it instead)`);
      rmSync(journalPath);
    }
    return new ResultFile(path, format, options.mode ?? "clips", previous);
  }

  /** Whether `file` already has results (so a resumed run skips it); failed files are not done. */
  isDone(file: string): boolean {
    const record = this.records.get(file);
    return record !== undefined && !("error" in record);
  }

  get size(): number {
    return this.records.size;
  }

  add(record: FileResult): void {
    this.records.delete(record.file);
    this.records.set(record.file, record);
    writeSync(this.journal, journalLine(record));
  }

  /**
   * Writes FILE atomically: records in `order` (the run's inputs) first, then any earlier records
   * of files not in this run, so nothing recorded before is dropped. The journal goes last.
   */
  finish(order: readonly string[]): { records: number; failed: number } {
    closeSync(this.journal);
    const sorted: FileResult[] = [];
    const seen = new Set<string>();
    for (const file of [...order, ...this.records.keys()]) {
      const record = this.records.get(file);
      if (record === undefined || seen.has(file)) continue;
      seen.add(file);
      sorted.push(record);
    }
    let text = "";
    const writer = new ResultWriter(this.format, (t) => (text += t), this.mode);
    sorted.forEach((r) => writer.add(r));
    writer.end();
    const temp = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    rmSync(this.journalPath, { force: true });
    return { records: sorted.length, failed: sorted.filter((r) => "error" in r).length };
  }

  /** Leaves the journal for a later --resume (the run was interrupted). */
  abandon(): void {
    closeSync(this.journal);
  }
}
