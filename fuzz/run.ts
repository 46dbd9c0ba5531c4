/**
 * `npm run fuzz`: runs the chosen targets one after another in a child process and prints a
 * summary (target, executions, exec/s, distinct findings). Exits 1 when any finding was made.
 */
import { resolve } from "node:path";
import { runCampaign, type CampaignStats } from "./campaign.js";
import { ChildExecutor } from "./child-executor.js";
import { parseFuzzArgs, USAGE } from "./cli-options.js";
import { FindingStore } from "./findings.js";
import { loadTarget, TARGET_NAMES } from "./targets/index.js";

function summary(all: readonly CampaignStats[]): string {
  const rows = [["target", "seconds", "execs", "exec/s", "findings", "typed errors", "corpus", "children"]];
  for (const s of all) {
    rows.push([s.target, s.seconds.toFixed(0), String(s.executions), (s.executions / s.seconds).toFixed(1), String(s.findings.size), `${((100 * s.typedErrors) / Math.max(1, s.executions)).toFixed(0)} %`, String(s.corpusSize), String(s.childStarts)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
  for (const s of all) {
    for (const f of s.findings.values()) lines.push(`  ${s.target}: ${f.signature}${f.kind === "untyped-error" ? ` — ${f.message.slice(0, 160)}` : ""}\n    saved in ${f.folder}`);
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseFuzzArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const name of TARGET_NAMES) console.log(`${name.padEnd(20)} ${(await loadTarget(name))!.description}`);
    return 0;
  }
  if (options.targets.length === 0) {
    console.error(`name a target with --target (or --target all)\n\n${USAGE}`);
    return 2;
  }
  const names = options.targets.includes("all") ? TARGET_NAMES : options.targets;
  const unknown = names.filter((n) => !TARGET_NAMES.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown target(s) ${unknown.join(", ")}; --list shows ${TARGET_NAMES.join(", ")}`);
    return 2;
  }
  const store = new FindingStore(options.findingsDir === undefined ? undefined : resolve(options.findingsDir));
  const executor = new ChildExecutor({ timeoutMs: options.timeoutMs, memoryLimitBytes: options.memoryMiB * 2 ** 20 });
  const all: CampaignStats[] = [];
  const log = (line: string): void => console.log(line);
  // Ctrl-C ends the current target early and still prints the summary; a second one exits at once.
  let stopRequested = false;
  process.on("SIGINT", () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    log("stopping after the current input (Ctrl-C again to quit now)");
  });
  try {
    for (const name of names) {
      if (stopRequested) break;
      log(`[${name}] fuzzing for ${options.seconds} s${options.runs === undefined ? "" : ` or ${options.runs} runs`}, seed ${options.seed}`);
      const stats = await runCampaign({ target: (await loadTarget(name))!, executor, store, seed: options.seed, seconds: options.seconds, runs: options.runs, log, stopRequested: () => stopRequested });
      all.push(stats);
    }
  } finally {
    await executor.stop();
  }
  console.log(`\n${summary(all)}`);
  return all.some((s) => s.findings.size > 0) ? 1 : 0;
}

process.exitCode = await main();
