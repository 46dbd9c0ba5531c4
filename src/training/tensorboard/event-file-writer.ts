/**
 * A TensorBoard event file: `events.out.tfevents.<unix seconds>.<host>.<pid>.<n>` in a log
 * folder, as PyTorch's SummaryWriter names it, starting with the `brain.Event:2` file-version
 * event TensorBoard expects. Every event is written with a plain write() as it happens, so
 * `tensorboard --logdir` shows a running job live and a killed run keeps what it logged.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { TrainerOptionsError } from "../errors.js";
import { type EventBody, type SummaryValue, encodeEvent } from "./event-proto.js";
import { tfRecord } from "./tfrecord.js";

export const FILE_VERSION = "brain.Event:2";
export const EVENT_FILE_PREFIX = "events.out.tfevents.";

let filesOpened = 0;

export interface EventFileOptions {
  /**
   * Resuming at this step: a SessionLog START event tells TensorBoard to drop what earlier files
   * in the folder logged from this step on (PyTorch's purge_step), so an interrupted run's
   * repeated steps are not drawn twice.
   */
  readonly purgeStep?: number;
  /** Seconds since the epoch for every event (tests); default the clock. */
  readonly clock?: () => number;
}

export class EventFileWriter {
  private fd: number | undefined;
  private readonly clock: () => number;

  private constructor(
    readonly path: string,
    fd: number,
    clock: () => number,
  ) {
    this.fd = fd;
    this.clock = clock;
  }

  static open(logDir: string, options: EventFileOptions = {}): EventFileWriter {
    const clock = options.clock ?? (() => Date.now() / 1000);
    try {
      mkdirSync(logDir, { recursive: true });
    } catch (cause) {
      throw new TrainerOptionsError(`cannot create the TensorBoard log folder ${logDir}: ${(cause as Error).message}; pass another loggingDir (--logging-dir)`, "loggingDir");
    }
    const seconds = String(Math.floor(clock())).padStart(10, "0");
    const path = join(logDir, `${EVENT_FILE_PREFIX}${seconds}.${hostname()}.${process.pid}.${filesOpened++}`);
    const writer = new EventFileWriter(path, openSync(path, "wx"), clock);
    writer.write(0, { fileVersion: FILE_VERSION });
    if (options.purgeStep !== undefined) writer.write(options.purgeStep, { sessionStart: true });
    return writer;
  }

  /** Scalars (and texts) of one step in one Summary event. */
  addSummary(step: number, values: readonly SummaryValue[]): void {
    if (values.length > 0) this.write(step, { summary: values });
  }

  private write(step: number, body: EventBody): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, tfRecord(encodeEvent(this.clock(), step, body)));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
