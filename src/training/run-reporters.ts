/**
 * Where a training run's log entries go besides training_log.jsonl: training_report.html in the
 * output folder (rewritten after every entry, so it can be watched), and the integrations of
 * `reportTo` (TensorBoard event files). One object, so the training loop has a single place to
 * hand entries and evaluations to.
 *
 * Resuming keeps the curves in one TensorBoard run: without an explicit loggingDir the folder of
 * the interrupted run (from its training_args.json) is used again, and the new event file tells
 * TensorBoard to drop what the old one logged after the checkpoint.
 */
import { join } from "node:path";
import type { EvaluationResult } from "./evaluation.js";
import { type ReportedEvaluation, TRAINING_REPORT_FILE, type TrainingStatus, trainingReportHtml, writeReportSync } from "./report/index.js";
import { TensorBoardReporter } from "./tensorboard/index.js";
import type { Trainer } from "./trainer.js";
import type { TrainerLogEntry } from "./training-log.js";

export interface RunReportersStart {
  readonly trainer: Trainer;
  /** training_args.json of this run (its logging_dir is set to the folder used). */
  readonly trainingArgs: Record<string, unknown>;
  readonly maxSteps: number;
  /** Entries of the run so far (a resumed run's earlier entries). */
  readonly history: readonly TrainerLogEntry[];
  /** The best evaluation's step so far (a resumed run's). */
  readonly bestStep?: number | null;
  /** The checkpoint's step and training arguments when resuming. */
  readonly resumed?: { readonly step: number; readonly trainingArgs: Readonly<Record<string, unknown>> | undefined };
}

export class RunReporters {
  private readonly entries: TrainerLogEntry[];
  private evaluation: ReportedEvaluation | undefined;
  private bestStep: number | null = null;

  private constructor(
    private readonly start: RunReportersStart,
    readonly loggingDir: string,
    private readonly tensorboard: TensorBoardReporter | undefined,
  ) {
    this.entries = [...start.history];
    this.bestStep = start.bestStep ?? null;
  }

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
    const reporters = new RunReporters(start, loggingDir, tensorboard);
    reporters.writeReport("running");
    return reporters;
  }

  /** The event file being written, if reporting to TensorBoard. */
  get eventFile(): string | undefined {
    return this.tensorboard?.path;
  }

  get reportPath(): string {
    return join(this.start.trainer.outputDir, TRAINING_REPORT_FILE);
  }

  log(entry: TrainerLogEntry): void {
    this.tensorboard?.log(entry);
    this.entries.push(entry);
    this.writeReport("running");
  }

  /**
   * An evaluation at `step`; `bestStep` is the best so far. The report shows the confusion
   * matrix of the model that will be kept: the best evaluation's when the best model is loaded
   * at the end, else the latest.
   */
  evaluated(result: EvaluationResult, step: number, bestStep: number | null): void {
    this.bestStep = bestStep;
    const best = bestStep === step;
    if (!this.start.trainer.args.loadBestModelAtEnd || best || this.evaluation === undefined) {
      this.evaluation = {
        step,
        best,
        labels: result.labels,
        ...(result.confusionMatrix && { confusionMatrix: result.confusionMatrix }),
        ...(result.report && { report: result.report }),
      };
    }
  }

  /** Writes the final report and closes the event file. */
  finish(status: TrainingStatus): void {
    this.writeReport(status);
    this.close();
  }

  close(): void {
    this.tensorboard?.close();
  }

  private writeReport(status: TrainingStatus): void {
    const { trainer } = this.start;
    const html = trainingReportHtml({
      model: trainer.options.model,
      outputDir: trainer.outputDir,
      entries: this.entries,
      status,
      maxSteps: this.start.maxSteps,
      metricForBestModel: trainer.args.metricForBestModel,
      bestStep: this.bestStep,
      ...(this.evaluation && { evaluation: this.evaluation }),
      trainingArgs: this.start.trainingArgs,
      ...(this.tensorboard && { tensorboardDir: this.loggingDir }),
    });
    writeReportSync(this.reportPath, html);
  }
}
