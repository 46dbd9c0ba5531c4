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
import { createProgressBar } from "../util/progress.js";
import type { CliIO } from "./cli-io.js";
import { expandInputs } from "./expand-inputs.js";
import { type FileResult, type OutputFormat, type Prediction, ResultWriter } from "./output-format.js";
import { ResultFile } from "./result-file.js";

/** What a verb plugs in: decoding at its model's rate, and labelling a batch of clips. */
export interface FileLabeller {
  loadAudio(input: string | Uint8Array): Promise<Float32Array>;
  /** One entry per clip: its predictions, or the error that clip alone caused. */
  label(waveforms: Float32Array[]): Promise<Array<Prediction[] | AudioclassError>>;
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
  /** Write here (atomically, resumable) instead of stdout. */
  output?: string;
  resume: boolean;
  quiet: boolean;
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

  const outputFile = options.output === undefined ? undefined : ResultFile.open(options.output, options.format, { resume: options.resume, note: (t) => io.stderr(`audioclass ${command}: ${t}\n`) });
  const streamWriter = outputFile === undefined ? new ResultWriter(options.format, io.stdout) : undefined;
  let failures = 0;
  const emit = (record: FileResult): void => {
    if ("error" in record) {
      failures++;
      report(record.file, record.error.message);
    }
    if (outputFile !== undefined) outputFile.add(record);
    else streamWriter!.add(record);
  };

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
      for (let start = 0; start < todo.length; start += options.batchSize) {
        const batch = todo.slice(start, start + options.batchSize);
        const loaded: Array<{ file: string; audio: Float32Array }> = [];
        for (const file of batch) {
          try {
            const input = file === STDIN ? await readStdin(io, labeller.maxInputBytes) : file;
            loaded.push({ file, audio: await labeller.loadAudio(input) });
          } catch (error) {
            if (!(error instanceof AudioclassError)) throw error;
            emit(errorRecord(file, error));
          }
        }
        const outcomes = await labelBatch(labeller, loaded.map((x) => x.audio));
        loaded.forEach((x, i) => {
          const outcome = outcomes[i]!;
          emit(outcome instanceof AudioclassError ? errorRecord(x.file, outcome) : { file: x.file, predictions: outcome });
        });
        progress?.increment(batch.length);
      }
      progress?.finish(failures > 0 ? `${failures} failed` : undefined);
    } catch (error) {
      outputFile?.abandon();
      throw error;
    } finally {
      await labeller.dispose();
    }
  }
  if (outputFile !== undefined) {
    const { records, failed } = outputFile.finish(order);
    io.stderr(`audioclass ${command}: wrote ${records} record${records === 1 ? "" : "s"} to ${outputFile.path}${failed > 0 ? ` (${failed} failed)` : ""}\n`);
    return failed > 0 || failures > 0 ? 1 : 0;
  }
  streamWriter!.end();
  return failures > 0 ? 1 : 0;
}

/** A batch that fails as a whole (a clip the feature extractor refuses) is labelled clip by clip. */
async function labelBatch(labeller: FileLabeller, waveforms: Float32Array[]): Promise<Array<Prediction[] | AudioclassError>> {
  if (waveforms.length === 0) return [];
  try {
    return await labeller.label(waveforms);
  } catch (error) {
    if (!(error instanceof AudioclassError)) throw error;
    if (waveforms.length === 1) return [error];
    const out: Array<Prediction[] | AudioclassError> = [];
    for (const w of waveforms) out.push(...(await labelBatch(labeller, [w])));
    return out;
  }
}

async function readStdin(io: CliIO, maxBytes: number): Promise<Uint8Array> {
  if (io.stdin === undefined) throw new AudioSourceError(STDIN, "standard input is not available here");
  return readStreamBytes(io.stdin, "standard input", { maxBytes });
}
