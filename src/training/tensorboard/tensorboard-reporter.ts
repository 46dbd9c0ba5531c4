/**
 * What transformers' TensorBoardCallback writes, from the Trainer's log entries: every number
 * of a log entry as a scalar at the entry's global step, under the tags `rewrite_logs` gives
 * (`eval_loss` → `eval/loss`, `test_x` → `test/x`, anything else `x` → `train/x`), and at the
 * start the run's arguments and model config as text ("args", "model_config").
 *
 * The default folder is TrainingArguments' logging_dir: `<output_dir>/runs/<Mon DD_HH-MM-SS>_<host>`.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import type { TrainerLogEntry } from "../training-log.js";
import { EventFileWriter } from "./event-file-writer.js";
import type { SummaryValue } from "./event-proto.js";

/** Keys of a log entry that are bookkeeping, not metrics (transformers logs neither). */
const NOT_LOGGED = new Set(["type", "step", "time"]);

/** transformers' rewrite_logs: the TensorBoard tag of a log key. */
export function tensorboardTag(key: string): string {
  if (key.startsWith("eval_")) return `eval/${key.slice("eval_".length)}`;
  if (key.startsWith("test_")) return `test/${key.slice("test_".length)}`;
  return `train/${key}`;
}

/** The scalars of one log entry, with their tags. */
export function tensorboardScalars(entry: TrainerLogEntry): SummaryValue[] {
  const values: SummaryValue[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (NOT_LOGGED.has(key) || typeof value !== "number") continue;
    values.push({ tag: tensorboardTag(key), scalar: value });
  }
  return values;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** TrainingArguments' default logging_dir: runs/<%b%d_%H-%M-%S>_<hostname> under the output folder. */
export function defaultLoggingDir(outputDir: string, now: Date = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  const stamp = `${MONTHS[now.getMonth()]}${two(now.getDate())}_${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}`;
  return join(outputDir, "runs", `${stamp}_${hostname()}`);
}

export interface TensorBoardStart {
  /** training_args.json's contents, shown as the "args" text. */
  readonly args: Readonly<Record<string, unknown>>;
  /** config.json's contents, shown as the "model_config" text. */
  readonly modelConfig?: Readonly<Record<string, unknown>>;
  /** Set when resuming: steps from here on logged by the interrupted run are dropped. */
  readonly resumeStep?: number;
}

export class TensorBoardReporter {
  private constructor(private readonly writer: EventFileWriter) {}

  static open(logDir: string, start: TensorBoardStart): TensorBoardReporter {
    const purgeStep = start.resumeStep === undefined ? undefined : start.resumeStep + 1;
    const writer = EventFileWriter.open(logDir, purgeStep === undefined ? {} : { purgeStep });
    const texts: SummaryValue[] = [{ tag: "args/text_summary", text: JSON.stringify(start.args, null, 2) }];
    if (start.modelConfig !== undefined) texts.push({ tag: "model_config/text_summary", text: JSON.stringify(start.modelConfig, null, 2) });
    writer.addSummary(start.resumeStep ?? 0, texts);
    return new TensorBoardReporter(writer);
  }

  get path(): string {
    return this.writer.path;
  }

  log(entry: TrainerLogEntry): void {
    this.writer.addSummary(entry.step, tensorboardScalars(entry));
  }

  close(): void {
    this.writer.close();
  }
}
