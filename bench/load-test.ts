/**
 * Loopback load test of `audioclass serve`:
 *
 *   npm run load-test -- [--clients 16] [--seconds 60] [--workers 1] [--threads N] [--request-timeout 10]
 *
 * Starts the server (bundled default model) on 127.0.0.1, sends the WAV clips of
 * test/fixtures/fsdd and test/fixtures/hf/audio from N concurrent keep-alive clients for T
 * seconds, and prints p50/p99 latency, requests per second, errors and the server's resident
 * memory (worker threads included). Then, with two clients still classifying, it sends every
 * class of hostile request (bench/support/hostile-requests.ts) a few times: each must get its
 * 4xx, and the server must keep answering. Exits 1 if not.
 *
 * Only loopback traffic; every loop is bounded in time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { childPids, residentBytes } from "../src/util/process-memory.js";
import { hostileRequests } from "./support/hostile-requests.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    seconds: { type: "string", default: "60" },
    workers: { type: "string", default: "1" },
    threads: { type: "string" },
    "request-timeout": { type: "string", default: "10" },
    "hostile-rounds": { type: "string", default: "3" },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const hostileRounds = Number(values["hostile-rounds"]);
const MAX_BODY_BYTES = 50_000_000;
const MAX_AUDIO_SECONDS = 600;

function clips(): Array<{ name: string; bytes: Buffer }> {
  const dirs = [join(ROOT, "test/fixtures/fsdd"), join(ROOT, "test/fixtures/hf/audio")];
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".wav")).sort().map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) })));
}

async function startServerProcess(): Promise<{ child: ChildProcess; url: string }> {
  const args = ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--log-level", "warn", "--workers", values.workers!, "--request-timeout", values["request-timeout"]!];
  if (values.threads !== undefined) args.push("--threads", values.threads);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "inherit", "pipe"] });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
      const m = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (m !== null) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  return { child, url };
}

/** Resident memory of the server and its inference worker processes together, from /proc. */
function rssBytes(pid: number): number {
  return [pid, ...childPids(pid)].reduce((sum, p) => sum + (residentBytes(p) ?? NaN), 0);
}

interface Outcome {
  status: number | "network error";
  ms: number;
}

function classify(agent: Agent, url: string, body: Buffer): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(new URL("/classify?top_k=3", url), { method: "POST", agent, headers: { "content-type": "audio/wav", "content-length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on("error", () => resolve({ status: "network error", ms: performance.now() - started }));
    req.end(body);
  });
}

/** `count` clients, each classifying the clips in turn until `done()`. */
async function load(url: string, count: number, done: () => boolean, files: Array<{ bytes: Buffer }>): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, client) => {
      for (let i = client; !done(); i++) outcomes.push(await classify(agent, url, files[i % files.length]!.bytes));
    }),
  );
  agent.destroy();
  return outcomes;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summarise(outcomes: Outcome[], elapsedSeconds: number): { ok: number; failed: Map<string, number>; line: string } {
  const ok = outcomes.filter((o) => o.status === 200);
  const failed = new Map<string, number>();
  for (const o of outcomes) if (o.status !== 200) failed.set(String(o.status), (failed.get(String(o.status)) ?? 0) + 1);
  const latencies = ok.map((o) => o.ms).sort((a, b) => a - b);
  const errors = [...failed].map(([s, n]) => `${n}× ${s}`).join(", ") || "0";
  const line = `${outcomes.length} requests in ${elapsedSeconds.toFixed(1)} s: ${(ok.length / elapsedSeconds).toFixed(1)} req/s, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms, errors ${errors}`;
  return { ok: ok.length, failed, line };
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<number> {
  const files = clips();
  const { child, url } = await startServerProcess();
  let failures = 0;
  try {
    console.log(`load test: ${files.length} clips (${files.map((f) => f.name).join(", ")}), ${clients} clients, ${seconds} s, server ${url}`);
    // one request per clip first: first-run costs out of the figures
    await load(url, 1, (() => { let sent = 0; return () => sent++ >= files.length; })(), files);
    const rssIdle = rssBytes(child.pid!);
    let rssPeak = rssIdle;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytes(child.pid!))), 250);
    const started = performance.now();
    const outcomes = await load(url, clients, () => performance.now() > started + seconds * 1000, files);
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const main = summarise(outcomes, elapsed);
    console.log(`\nload: ${main.line}`);
    console.log(`server RSS: ${mb(rssIdle)} idle, ${mb(rssPeak)} peak under load, ${mb(rssBytes(child.pid!))} after`);
    if (main.failed.size > 0) failures++;

    console.log(`\nhostile requests (${hostileRounds} of each, 2 clients classifying meanwhile):`);
    let hostileDone = false;
    const hostileStarted = performance.now();
    const background = load(url, 2, () => hostileDone, files);
    const catalogue = hostileRequests(files[0]!.bytes, MAX_BODY_BYTES, MAX_AUDIO_SECONDS);
    const results = await Promise.all(catalogue.map(async (h) => ({ h, statuses: await Promise.all(Array.from({ length: hostileRounds }, () => h.send(url))) })));
    for (const { h, statuses } of results) {
      const ok = statuses.every((s) => (h.expect.length === 0 ? s === "dropped" : typeof s === "number" && h.expect.includes(s)));
      if (!ok) failures++;
      const counts = new Map<string, number>();
      for (const s of statuses) counts.set(String(s), (counts.get(String(s)) ?? 0) + 1);
      const got = [...counts].map(([s, n]) => `${n}× ${s}`).join(", ");
      console.log(`  ${ok ? "ok  " : "FAIL"} ${h.name.padEnd(42)} expected ${h.expect.length === 0 ? "none" : h.expect.join("/")}, got ${got}`);
    }
    hostileDone = true;
    const during = summarise(await background, (performance.now() - hostileStarted) / 1000);
    console.log(`\nclassifying meanwhile: ${during.line}`);
    if (during.failed.size > 0 || during.ok === 0) failures++;
    const afterStarted = performance.now();
    const after = await load(url, 2, () => performance.now() > afterStarted + 2000, files);
    const afterSeconds = (performance.now() - afterStarted) / 1000;
    const health = await new Promise<number>((resolve) => httpRequest(new URL("/health", url), (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", () => resolve(0)).end());
    const afterSummary = summarise(after, afterSeconds);
    console.log(`\nafter the hostile requests: /health ${health}; ${afterSummary.line}`);
    console.log(`server RSS at the end: ${mb(rssBytes(child.pid!))}`);
    if (health !== 200 || afterSummary.failed.size > 0 || afterSummary.ok === 0) failures++;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  console.log(failures === 0 ? "\nload test passed" : `\nload test FAILED (${failures} problem${failures === 1 ? "" : "s"})`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
