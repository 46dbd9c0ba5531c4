/**
 * `audioclass <verb> …`: dispatches to one command per verb. Library errors (AudioclassError)
 * print their message and exit 1; command-line mistakes print the verb's usage and exit 2.
 */
import { readFileSync } from "node:fs";
import { AudioclassError } from "../errors.js";
import { type CliIO, UsageError } from "./cli-io.js";
import { cacheCommand, cacheUsage } from "./commands/cache.js";
import { classifyCommand, classifyUsage } from "./commands/classify.js";
import { downloadCommand, downloadUsage } from "./commands/download.js";
import { evaluateCommand, evaluateUsage } from "./commands/evaluate.js";
import { listenCommand, listenUsage } from "./commands/listen.js";
import { queueCommand, queueUsage } from "./commands/queue.js";
import { queueAddUsage } from "./commands/queue-add.js";
import { serveCommand, serveUsage } from "./commands/serve.js";
import { trainCommand, trainUsage } from "./commands/train.js";
import { workerCommand, workerUsage } from "./commands/worker.js";
import { zeroShotCommand, zeroShotUsage } from "./commands/zero-shot.js";

interface Verb {
  summary: string;
  usage: string;
  /** A verb with sub-commands (`queue add`) may have a usage per sub-command. */
  subUsage?: (rest: readonly string[]) => string | undefined;
  run: (argv: readonly string[], io: CliIO) => Promise<number>;
}

const VERBS: Record<string, Verb> = {
  classify: { summary: "label audio files with an audio-classification model", usage: classifyUsage, run: classifyCommand },
  "zero-shot": { summary: "score audio files against labels you choose (CLAP)", usage: zeroShotUsage, run: zeroShotCommand },
  listen: { summary: "classify a live stream of PCM from standard input, window by window", usage: listenUsage, run: listenCommand },
  serve: { summary: "serve classification over HTTP (Fastify, worker threads, Prometheus metrics)", usage: serveUsage, run: serveCommand },
  queue: { summary: "add files to a Redis-backed queue (BullMQ) for workers on many machines; status, results", usage: queueUsage, subUsage: (rest) => (rest[0] === "add" ? queueAddUsage : undefined), run: queueCommand },
  worker: { summary: "classify a Redis queue's files (run on any number of machines)", usage: workerUsage, run: workerCommand },
  train: { summary: "fine-tune a model (or train one from a config) on labelled audio", usage: trainUsage, run: trainCommand },
  evaluate: { summary: "accuracy, precision, recall, F1 and confusion matrix of a model on labelled audio", usage: evaluateUsage, run: evaluateCommand },
  download: { summary: "download a model from the Hugging Face hub into the shared cache", usage: downloadUsage, run: downloadCommand },
  cache: { summary: "list (ls) or remove (rm) cached models", usage: cacheUsage, run: cacheCommand },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function mainUsage(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  const lines = Object.entries(VERBS).map(([name, verb]) => `  ${name.padEnd(width)}  ${verb.summary}`);
  return `Usage: audioclass <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun \`audioclass <command> --help\` (or \`audioclass help <command>\`) for a command's options.\n`;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [verbName, ...rest] = argv;
  if (verbName === "help" && rest.length > 0) {
    // `audioclass help classify` is `audioclass classify --help`
    const topic = VERBS[rest[0]!];
    if (topic === undefined) {
      io.stderr(`audioclass: no help for ${JSON.stringify(rest[0])}: not a command\n\n${mainUsage()}`);
      return 2;
    }
    io.stdout(topic.usage);
    return 0;
  }
  if (verbName === undefined || verbName === "--help" || verbName === "-h" || verbName === "help") {
    io.stdout(mainUsage());
    return verbName === undefined ? 2 : 0;
  }
  if (verbName === "--version" || verbName === "-v") {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const verb = VERBS[verbName];
  if (!verb) {
    io.stderr(`audioclass: unknown command ${JSON.stringify(verbName)}\n\n${mainUsage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(verb.subUsage?.(rest) ?? verb.usage);
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`audioclass ${verbName}: ${error.message}\n\n${verb.usage}`);
      return 2;
    }
    if (error instanceof AudioclassError) {
      io.stderr(`audioclass ${verbName}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
