/**
 * The training log: one JSON object per line in `<outputDir>/training_log.jsonl`, written with a
 * plain write() as each entry happens, so a killed run keeps everything up to its last step.
 * Keys are the Trainer's log_history keys (loss, grad_norm, learning_rate, epoch, step,
 * eval_*, train_runtime…) plus `type` ("train", "eval", "end") and `time` (ISO date).
 *
 * Resuming from checkpoint-<k> drops the entries after step k that the interrupted run wrote
 * (its later steps are done again), so the log reads like one uninterrupted run.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

export const TRAINING_LOG_FILE = "training_log.jsonl";

export type TrainerLogEntry = Readonly<Record<string, number | string | null>> & {
  readonly type: "train" | "eval" | "end";
  readonly step: number;
  readonly epoch: number;
};

export class TrainingLog {
  private fd: number | undefined;

  private constructor(readonly path: string) {}

  /** Opens the log of `outputDir`: emptied for a new run, cut back to `resumeStep` for a resumed one. */
  static open(outputDir: string, resumeStep: number | undefined): TrainingLog {
    const log = new TrainingLog(join(outputDir, TRAINING_LOG_FILE));
    if (resumeStep === undefined || !existsSync(log.path)) {
      log.fd = openSync(log.path, "w");
      return log;
    }
    const kept = readFileSync(log.path, "utf8")
      .split("\n")
      .filter((line) => {
        if (line.trim() === "") return false;
        try {
          const entry = JSON.parse(line) as { step?: unknown };
          return typeof entry.step === "number" && entry.step <= resumeStep;
        } catch {
          return false; // a line cut short by the kill
        }
      });
    const temp = `${log.path}.tmp-${process.pid}`;
    const fd = openSync(temp, "w");
    try {
      if (kept.length > 0) writeSync(fd, kept.join("\n") + "\n");
    } finally {
      closeSync(fd);
    }
    renameSync(temp, log.path);
    log.fd = openSync(log.path, "a");
    return log;
  }

  write(entry: TrainerLogEntry): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify({ ...entry, time: new Date().toISOString() }) + "\n");
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A log entry without `type` and `time`, as trainer_state.json's log_history holds it. */
export function historyEntry(entry: TrainerLogEntry): Record<string, number | string | null> {
  const { type: _type, ...rest } = entry;
  return rest;
}
