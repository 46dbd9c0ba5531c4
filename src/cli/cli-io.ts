import type { ProgressStream } from "../util/progress.js";

/** What a CLI command may touch: its output streams and environment (tests pass their own). */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The raw stderr stream, for progress bars that redraw in place. */
  stderrStream: ProgressStream;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (picks the default output format: table for people, json for pipes). */
  stdoutIsTTY?: boolean;
  /** Standard input, for the `-` input (audio piped in). */
  stdin?: AsyncIterable<Uint8Array>;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrStream: process.stderr,
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdin: process.stdin,
  };
}

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
