/**
 * The run behind `classify` and `zero-shot`: inputs (files, directories, URLs, `-` for standard
 * input) → audio → a labeller, `batchSize` clips at a time → one record per input, streamed to
 * stdout or kept in `--output FILE` (resumable, written atomically).
 *
 * Nothing one input does stops the others: a file that cannot be read or decoded, or a clip the
 * model refuses, becomes an error record (and a line on stderr) and the run goes on; the exit
 * code is then 1. A batch that fails as a whole is retried clip by clip, so only the bad clip
 * fails.
 */
import { AudioSourceError, readStreamBytes } from "../audio/index.js";
import { AudioclassError } from "../errors.js";
import { type ProgressBar, createProgressBar } from "../util/progress.js";
import type { CliIO } from "./cli-io.js";
import { expandInputs } from "./expand-inputs.js";
import { type FileResult, type LabelEvent, type OutputFormat, type Prediction, type RecordMode, ResultWriter, type WindowScores } from "./output-format.js";
import type { PreparedClip } from "../pipelines/prepared-clip.js";
import { ResultFile } from "./result-file.js";
import { type TimelineOfFile, writeTimelineSvg } from "./timeline-svg.js";

/** What a verb plugs in: preparing inputs for its model, and labelling clips or windows. */
export interface FileLabeller {
  /** Decodes an input at the model's rate (and, where the extractor allows, computes its features). */
  prepare(input: string | Uint8Array): Promise<PreparedClip>;
  /** One entry per clip, in order, `batchSize` clips per model run: its predictions, or the error that clip alone caused. */
  label(clips: readonly PreparedClip[]): Promise<Array<Prediction[] | AudioclassError>>;
  /** Batches of clips of similar length waste less on padding (variable-length extractors). */
  readonly bucketByLength: boolean;
  /** Inputs prepared ahead of the model (more with worker threads). */
  readonly prefetch: number;
  /** Window mode: the scored windows of one input, as they are read. */
  windows(input: string | Uint8Array): AsyncIterable<WindowScores>;
  /** Window mode: events of a finished input's windows. */
  events(segments: readonly WindowScores[]): LabelEvent[];
  readonly samplingRate: number;
  /** Seconds of one clip the model hears (longer clips are cut: the CLI says so). */
  readonly inputSeconds: number | undefined;
  /** Most bytes read from standard input. */
  readonly maxInputBytes: number;
  dispose(): Promise<void>;
}

export interface LabelFilesOptions {
  /** The verb, for messages ("classify"). */
  command: string;
  inputs: readonly string[];
  batchSize: number;
  format: OutputFormat;
  /** "clips" (one record per input), "windows" (--window: one per window), "events" (--events). */
  mode: RecordMode;
  /** Write here (atomically, resumable) instead of stdout. */
  output?: string;
  resume: boolean;
  quiet: boolean;
  /** Draw the windows' labels over time into this SVG file (window modes). */
  timeline?: string;
  io: CliIO;
  /** Loads the model; called once the inputs are known to hold something. */
  createLabeller(): Promise<FileLabeller>;
}

/** Progress bars start at this many files; a handful of files finish before a bar would help. */
const PROGRESS_MIN_FILES = 8;

const STDIN = "-";

function errorRecord(file: string, error: AudioclassError): FileResult {
  return { file, error: { type: error.name, message: error.message } };
}

export async function labelFiles(options: LabelFilesOptions): Promise<number> {
  const { io, command } = options;
  const report = (file: string, message: string) => io.stderr(`audioclass ${command}: ${file}: ${message}\n`);
  const named = options.inputs.filter((x) => x !== STDIN);
  const { files, missing } = named.length > 0 ? await expandInputs(named) : { files: [], missing: [] };
  const order = options.inputs.includes(STDIN) ? [STDIN, ...files] : files;

  const outputFile = options.output === undefined ? undefined : ResultFile.open(options.output, options.format, { resume: options.resume, mode: options.mode, note: (t) => io.stderr(`audioclass ${command}: ${t}\n`) });
  const streamWriter = outputFile === undefined ? new ResultWriter(options.format, io.stdout, options.mode) : undefined;
  let failures = 0;
  const emit = (record: FileResult): void => {
    if ("error" in record) {
      failures++;
      report(record.file, record.error.message);
    }
    if (outputFile !== undefined) outputFile.add(record);
    else streamWriter!.add(record);
  };
  const run: Run = { options, emit, report, timelines: [] };

  for (const m of missing) emit({ file: m.input, error: { type: "AudioSourceError", message: m.reason } });
  const todo = order.filter((file) => !(outputFile?.isDone(file) ?? false));
  if (outputFile !== undefined && todo.length < order.length) {
    io.stderr(`audioclass ${command}: resuming: ${order.length - todo.length} of ${order.length} files already done in ${outputFile.path}\n`);
  }

  if (todo.length > 0) {
    const labeller = await options.createLabeller();
    const progress =
      todo.length >= PROGRESS_MIN_FILES
        ? createProgressBar({ label: command, total: todo.length, quiet: options.quiet, stream: io.stderrStream, env: io.env })
        : undefined;
    try {
      if (options.mode === "clips") await labelClips(run, labeller, todo, progress);
      else await labelWindows(run, labeller, todo, progress, outputFile === undefined && options.mode === "windows");
      progress?.finish(failures > 0 ? `${failures} failed` : undefined);
    } catch (error) {
      outputFile?.abandon();
      throw error;
    } finally {
      await labeller.dispose();
    }
    if (options.timeline !== undefined) await writeTimelineSvg(options.timeline, run.timelines);
  }
  if (outputFile !== undefined) {
    const { records, failed } = outputFile.finish(order);
    io.stderr(`audioclass ${command}: wrote the results of ${records} input${records === 1 ? "" : "s"} to ${outputFile.path}${failed > 0 ? ` (${failed} failed)` : ""}\n`);
    return failed > 0 || failures > 0 ? 1 : 0;
  }
  streamWriter!.end();
  return failures > 0 ? 1 : 0;
}

interface Run {
  options: LabelFilesOptions;
  emit(record: FileResult): void;
  report(file: string, message: string): void;
  /** Window modes: each finished input's windows and events, for --timeline. */
  timelines: TimelineOfFile[];
}

async function inputOf(file: string, run: Run, labeller: FileLabeller): Promise<string | Uint8Array> {
  return file === STDIN ? readStdin(run.options.io, labeller.maxInputBytes) : file;
}

/**
 * One record per input. Inputs are prepared a group ahead (in worker threads with --workers,
 * while the model runs on the previous group); within a group, clips of similar length are
 * batched together when padding matters; records come out in input order.
 */
async function labelClips(run: Run, labeller: FileLabeller, todo: readonly string[], progress: ProgressBar | undefined): Promise<void> {
  const { batchSize } = run.options;
  const group = Math.max(batchSize * 4, labeller.prefetch, 1);
  type Prepared = { file: string; clip: PreparedClip } | { file: string; error: AudioclassError };
  const prepareGroup = (files: readonly string[]): Promise<Prepared[]> =>
    Promise.all(
      files.map(async (file): Promise<Prepared> => {
        try {
          return { file, clip: await labeller.prepare(await inputOf(file, run, labeller)) };
        } catch (error) {
          if (!(error instanceof AudioclassError)) throw error;
          return { file, error };
        }
      }),
    );
  let next = prepareGroup(todo.slice(0, group));
  for (let start = 0; start < todo.length; start += group) {
    const prepared = await next;
    if (start + group < todo.length) next = prepareGroup(todo.slice(start + group, start + 2 * group));
    const ok = prepared.filter((p): p is Extract<Prepared, { clip: PreparedClip }> => "clip" in p);
    for (const p of ok) warnIfCut(run, labeller, p.file, p.clip.samples);
    // stable sort by length: batches of similar clips, the same batches however inputs were prepared
    const order = labeller.bucketByLength && batchSize > 1 ? [...ok].sort((a, b) => a.clip.samples - b.clip.samples) : ok;
    const outcomes = new Map<string, Prediction[] | AudioclassError>();
    for (let b = 0; b < order.length; b += batchSize) {
      const batch = order.slice(b, b + batchSize);
      const results = await labelBatch(labeller, batch.map((p) => p.clip));
      batch.forEach((p, i) => outcomes.set(p.file, results[i]!));
    }
    for (const p of prepared) {
      if ("error" in p) run.emit(errorRecord(p.file, p.error));
      else {
        const outcome = outcomes.get(p.file)!;
        run.emit(outcome instanceof AudioclassError ? errorRecord(p.file, outcome) : { file: p.file, predictions: outcome });
      }
    }
    progress?.increment(prepared.length);
  }
}

/** A clip longer than the model hears is cut silently by the model: say how much. */
function warnIfCut(run: Run, labeller: FileLabeller, file: string, samples: number): void {
  const heard = labeller.inputSeconds;
  const seconds = samples / labeller.samplingRate;
  if (heard === undefined || seconds <= heard + 1e-3) return;
  run.options.io.stderr(
    `audioclass ${run.options.command}: ${file}: ${seconds.toFixed(1)} s long; the model hears only the first ${heard.toFixed(2)} s ` +
      `(${(seconds - heard).toFixed(1)} s ignored); pass --window to classify all of it\n`,
  );
}

/**
 * Window modes: each input is read as a stream and scored window by window. Windows go to
 * stdout as they come (`streamWindows`); with --output (or --events) a file's results are
 * recorded once it is finished, so a resumed run redoes only unfinished files.
 */
async function labelWindows(run: Run, labeller: FileLabeller, todo: readonly string[], progress: ProgressBar | undefined, streamWindows: boolean): Promise<void> {
  for (const file of todo) {
    const segments: WindowScores[] = [];
    try {
      for await (const segment of labeller.windows(await inputOf(file, run, labeller))) {
        segments.push(segment);
        if (streamWindows) run.emit({ file, segments: [segment] });
      }
      const events = labeller.events(segments);
      run.timelines.push({ file, segments, events });
      if (run.options.mode === "events") run.emit({ file, events });
      else if (!streamWindows) run.emit({ file, segments });
    } catch (error) {
      if (!(error instanceof AudioclassError)) throw error;
      run.emit(errorRecord(file, error));
    }
    progress?.increment(1);
  }
}

/** A batch that fails as a whole (a clip the feature extractor refuses) is labelled clip by clip. */
async function labelBatch(labeller: FileLabeller, clips: readonly PreparedClip[]): Promise<Array<Prediction[] | AudioclassError>> {
  if (clips.length === 0) return [];
  try {
    return await labeller.label(clips);
  } catch (error) {
    if (!(error instanceof AudioclassError)) throw error;
    if (clips.length === 1) return [error];
    const out: Array<Prediction[] | AudioclassError> = [];
    for (const c of clips) out.push(...(await labelBatch(labeller, [c])));
    return out;
  }
}

async function readStdin(io: CliIO, maxBytes: number): Promise<Uint8Array> {
  if (io.stdin === undefined) throw new AudioSourceError(STDIN, "standard input is not available here");
  return readStreamBytes(io.stdin, "standard input", { maxBytes });
}
