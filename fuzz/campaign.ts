/**
 * One target's fuzzing run: seeds first, then mutants of the corpus until the time or execution
 * budget is spent. Guidance is by behaviour: an input whose outcome has a shape not seen before
 * (a new error message template, a new kind of result) joins the corpus, since distinct messages
 * mark distinct checks in the parsers; parents are drawn mostly from inputs the target accepted.
 * Every failure (wrong exception, hang, memory, crash) is a finding: saved once per signature and
 * counted; a progress line is printed every ~10 s.
 */
import { createHash } from "node:crypto";
import type { ChildExecutor } from "./child-executor.js";
import { FindingStore, messageShape, signatureOf } from "./findings.js";
import { mutateBytes } from "./mutate.js";
import { isFinding, type Outcome } from "./outcome.js";
import { FuzzRandom } from "./random.js";
import type { FuzzTarget } from "./target.js";

export interface CampaignOptions {
  readonly target: FuzzTarget;
  readonly executor: ChildExecutor;
  readonly store: FindingStore;
  readonly seed: number;
  /** Stop after this many seconds (default 60)… */
  readonly seconds?: number;
  /** …or after this many executions, whichever comes first. */
  readonly runs?: number;
  /** Receives progress lines (default: none). */
  readonly log?: (line: string) => void;
  readonly progressEveryMs?: number;
  /** Polled between inputs; true ends the run early (Ctrl-C). */
  readonly stopRequested?: () => boolean;
}

export interface DistinctFinding {
  readonly signature: string;
  readonly kind: string;
  readonly message: string;
  readonly folder: string;
  readonly reproduced: boolean;
}

export interface CampaignStats {
  readonly target: string;
  executions: number;
  seconds: number;
  ok: number;
  typedErrors: number;
  findings: Map<string, DistinctFinding>;
  corpusSize: number;
  childStarts: number;
}

const MAX_CORPUS = 1000;
/** Corpus and accepted pool together stay under this, so a long run keeps bounded memory. */
const MAX_CORPUS_BYTES = 128 * 1024 * 1024;

function behaviour(outcome: Outcome): string {
  switch (outcome.kind) {
    case "typed-error":
      return `${outcome.name}: ${messageShape(outcome.message)}`;
    case "untyped-error":
      return `${outcome.name}: ${messageShape(outcome.message)}`;
    default:
      return outcome.kind;
  }
}

function contentKey(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("hex");
}

interface CorpusEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The seed its mutation chain started from. */
  readonly origin: string;
}

/** Share of parents drawn from inputs the target accepted: mutants of rejected inputs mostly stay rejected. */
const ACCEPTED_PARENT_SHARE = 0.7;

export async function runCampaign(options: CampaignOptions): Promise<CampaignStats> {
  const { target, executor, store } = options;
  const random = new FuzzRandom(options.seed);
  const log = options.log ?? (() => {});
  const budgetMs = (options.seconds ?? 60) * 1000;
  const maxRuns = options.runs ?? Infinity;
  const progressEvery = options.progressEveryMs ?? 10_000;
  const stats: CampaignStats = {
    target: target.name,
    executions: 0,
    seconds: 0,
    ok: 0,
    typedErrors: 0,
    findings: new Map(),
    corpusSize: 0,
    childStarts: 0,
  };
  const startsBefore = executor.starts;
  const seen = new Set<string>();
  const behaviours = new Set<string>();
  const corpus: CorpusEntry[] = [];
  /** Inputs that returned normally (seeds included), the preferred parents. */
  const accepted: CorpusEntry[] = [];
  for (const seed of target.seeds()) {
    const key = contentKey(seed.bytes);
    if (seen.has(key)) continue;
    seen.add(key);
    corpus.push({ name: seed.name, bytes: seed.bytes, origin: seed.name });
  }
  const seedCount = corpus.length;
  if (corpus.length === 0) corpus.push({ name: "empty input", bytes: new Uint8Array(0), origin: "empty input" });
  const donors = corpus.map((c) => c.bytes);

  let start = performance.now();
  let lastProgress = start;
  const elapsed = (): number => performance.now() - start;

  let pooledBytes = corpus.reduce((n, c) => n + c.bytes.length, 0);
  /** Adds to a pool, or replaces a random entry past `keep` once the pool or the byte budget is full. */
  const addTo = (pool: CorpusEntry[], entry: CorpusEntry, keep: number): void => {
    if (pool.length < MAX_CORPUS && pooledBytes + entry.bytes.length <= MAX_CORPUS_BYTES) {
      pool.push(entry);
      pooledBytes += entry.bytes.length;
    } else if (pool.length > keep) {
      const at = keep + random.below(pool.length - keep);
      pooledBytes += entry.bytes.length - pool[at]!.bytes.length;
      pool[at] = entry;
    }
  };

  const execute = async (input: Uint8Array, parent: CorpusEntry): Promise<void> => {
    const child = (what: string): CorpusEntry => ({ name: `${what} ${stats.executions} of ${parent.origin}`, bytes: input, origin: parent.origin });
    let outcome = await executor.run(target.name, input);
    stats.executions++;
    if (outcome.kind === "ok") {
      stats.ok++;
      if (accepted.length < 50 || random.chance(0.05)) addTo(accepted, child("accepted mutant"), 0);
    } else if (outcome.kind === "typed-error") stats.typedErrors++;
    else if (isFinding(outcome)) {
      let reproduced = true;
      const seenBefore = stats.findings.get(signatureOf(outcome, input))?.reproduced === true;
      if (outcome.kind !== "untyped-error" && !seenBefore) {
        // Hangs, memory and crashes can come from an earlier input's leftovers: re-run from a clean
        // process (once per signature: each re-run of a hang costs another timeout).
        await executor.restart();
        const again = await executor.run(target.name, input);
        reproduced = again.kind === outcome.kind;
        if (isFinding(again) && !reproduced) outcome = again;
      }
      const signature = signatureOf(outcome as Extract<Outcome, { kind: "untyped-error" | "timeout" | "memory" | "crash" }>, input) + (reproduced ? "" : " (did not reproduce)");
      const folder = store.saveFinding({ target: target.name, signature, outcome, seed: options.seed, execution: stats.executions, parent: parent.name, bytes: input.length, reproduced }, input);
      if (!stats.findings.has(signature)) {
        const message = outcome.kind === "untyped-error" ? outcome.message : outcome.kind;
        stats.findings.set(signature, { signature, kind: outcome.kind, message, folder, reproduced });
        log(`[${target.name}] finding: ${signature}${outcome.kind === "untyped-error" ? ` — ${outcome.message.slice(0, 200)}` : ""} → ${folder}`);
      }
    }
    const shape = behaviour(outcome);
    if (!behaviours.has(shape)) {
      behaviours.add(shape);
      const key = contentKey(input);
      if (!seen.has(key)) {
        seen.add(key);
        addTo(corpus, child("mutant"), seedCount); // when full, a non-seed entry makes room: the seeds always stay
      }
    }
  };

  const progress = (): void => {
    const seconds = elapsed() / 1000;
    log(
      `[${target.name}] ${stats.executions} execs in ${seconds.toFixed(0)} s (${(stats.executions / seconds).toFixed(0)}/s), corpus ${corpus.length}, ` +
        `findings ${stats.findings.size}, child RSS ${(executor.lastRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
  };

  for (const [i, entry] of corpus.slice(0, seedCount).entries()) {
    if (stats.executions >= maxRuns || elapsed() >= budgetMs) break;
    await execute(entry.bytes, entry);
    // The first input also starts the child and loads the target's modules: the clock starts after it.
    if (i === 0) start = lastProgress = performance.now();
  }
  const stop = options.stopRequested ?? (() => false);
  while (stats.executions < maxRuns && elapsed() < budgetMs && !stop()) {
    const parent = accepted.length > 0 && random.chance(ACCEPTED_PARENT_SHARE) ? random.pick(accepted) : random.pick(corpus);
    let input: Uint8Array | undefined;
    if (target.mutate !== undefined && random.chance(target.structuredShare ?? 0.5)) input = target.mutate(parent.bytes, random);
    input ??= mutateBytes(parent.bytes, random, { donors });
    await execute(input, parent);
    if (performance.now() - lastProgress >= progressEvery) {
      lastProgress = performance.now();
      progress();
    }
  }
  stats.seconds = elapsed() / 1000;
  stats.corpusSize = corpus.length;
  stats.childStarts = executor.starts - startsBefore;
  return stats;
}
