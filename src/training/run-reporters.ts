/**
 * Where a training run's log entries go besides training_log.jsonl: the integrations of
 * `reportTo` (TensorBoard event files). One object, so the training loop has a single place to
 * hand each entry to.
 *
 * Resuming keeps the curves in one TensorBoard run: without an explicit loggingDir the folder of
 * the interrupted run (from its training_args.json) is used again, and the new event file tells
 * TensorBoard to drop what the old one logged after the checkpoint.
 */
import type { TrainerLogEntry } from "./training-log.js";
import { TensorBoardReporter } from "./tensorboard/index.js";
import type { Trainer } from "./trainer.js";

export interface RunReportersStart {
  readonly trainer: Trainer;
  /** training_args.json of this run (its logging_dir is set to the folder used). */
  readonly trainingArgs: Record<string, unknown>;
  /** The checkpoint's step and training arguments when resuming. */
  readonly resumed?: { readonly step: number; readonly trainingArgs: Readonly<Record<string, unknown>> | undefined };
}

export class RunReporters {
  private constructor(
    readonly loggingDir: string,
    private readonly tensorboard: TensorBoardReporter | undefined,
  ) {}

  static open(start: RunReportersStart): RunReporters {
    const { trainer, resumed } = start;
    const earlierDir = resumed?.trainingArgs?.["logging_dir"];
    const loggingDir = trainer.options.loggingDir === undefined && typeof earlierDir === "string" ? earlierDir : trainer.loggingDir;
    start.trainingArgs["logging_dir"] = loggingDir;
    const tensorboard = trainer.args.reportTo.includes("tensorboard")
      ? TensorBoardReporter.open(loggingDir, {
          args: start.trainingArgs,
          modelConfig: trainer.model.config.toObject(),
          ...(resumed !== undefined && { resumeStep: resumed.step }),
        })
      : undefined;
    return new RunReporters(loggingDir, tensorboard);
  }

  /** The event file being written, if reporting to TensorBoard. */
  get eventFile(): string | undefined {
    return this.tensorboard?.path;
  }

  log(entry: TrainerLogEntry): void {
    this.tensorboard?.log(entry);
  }

  close(): void {
    this.tensorboard?.close();
  }
}
