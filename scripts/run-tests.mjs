#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx. Node 20's --test does not expand
// globs or pick up .ts files, so the list is built here. Extra arguments filter by substring:
//   npm test -- audio resample
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const testDir = join(root, "test");

// The tests of the ffmpeg decoder path skip themselves with this reason when ffmpeg is not on
// PATH (test/helpers/ffmpeg.ts, which must use the same words).
const FFMPEG_SKIP_REASON = "ffmpeg not found on PATH";
// The tests in a real browser skip themselves with this reason when Debian's chromium is not
// installed (test/helpers/chromium.ts, which must use the same words and the same path).
const CHROMIUM_SKIP_REASON = "chromium not installed";
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Likewise the queue tests without redis-server (test/helpers/redis-server.ts).
const REDIS_SKIP_REASON = "redis-server not found on PATH";

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === "fixtures" || name === "node_modules") continue;
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

/** The same reading of $CI as the progress bars' (src/util/progress.ts). */
function runningInCI(env) {
  return env.CI !== undefined && env.CI !== "" && env.CI.toLowerCase() !== "false" && env.CI !== "0";
}

function onPath(program, versionFlag) {
  const probe = spawnSync(program, [versionFlag], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

/** { reason: count } from scripts/skip-tally-reporter.mjs, or undefined if it wrote nothing. */
function readSkipTally(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const filters = process.argv.slice(2);
const files = collect(testDir)
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(", ") || "test/**/*.test.ts"}`);
  process.exit(1);
}

const hasFfmpeg = onPath("ffmpeg", "-version");
const hasRedis = onPath("redis-server", "--version");
if (!hasFfmpeg && runningInCI(process.env)) {
  // Skipping is for machines with only Node.js; CI must exercise the ffmpeg decoder path.
  console.error(
    `run-tests: CI=${process.env.CI} but ffmpeg is not on PATH, so the ffmpeg decoder tests would be skipped. ` +
      `CI must run them: install ffmpeg (apt-get install ffmpeg; .ci/run does this), or unset CI to skip them locally.`,
  );
  process.exit(1);
}
if (!hasRedis && runningInCI(process.env)) {
  // The same for the queue: CI must run it against a real Redis.
  console.error(
    `run-tests: CI=${process.env.CI} but redis-server is not on PATH, so the queue tests would fail. ` +
      `Install it (apt-get install redis-server; .ci/run does this), or unset CI to skip them locally.`,
  );
  process.exit(1);
}

const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && runningInCI(process.env)) {
  // Likewise the browser tests: CI must run them in Chromium.
  console.error(
    `run-tests: CI=${process.env.CI} but ${CHROMIUM_PATH} is not installed, so the browser tests would be skipped. ` +
      `CI must run them: install Debian's chromium (apt-get install chromium; .ci/run does this), or unset CI to skip them locally.`,
  );
  process.exit(1);
}

const tallyDir = mkdtempSync(join(tmpdir(), "audioclass-test-run-"));
const tallyFile = join(tallyDir, "skips.json");
const reporter = pathToFileURL(join(root, "scripts", "skip-tally-reporter.mjs")).href;
const result = spawnSync(
  process.execPath,
  [
    "--import", "tsx", "--test",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    `--test-reporter=${reporter}`, `--test-reporter-destination=${tallyFile}`,
    ...files,
  ],
  { cwd: root, stdio: "inherit" },
);
const tally = readSkipTally(tallyFile);
rmSync(tallyDir, { recursive: true, force: true });

// One line for the whole run, however many tests skipped themselves for want of ffmpeg.
if (!hasFfmpeg) {
  const skipped = tally === undefined ? undefined : (tally[FFMPEG_SKIP_REASON] ?? 0);
  if (skipped !== 0) {
    const what = skipped === undefined ? "the ffmpeg-path tests were" : `${skipped} ffmpeg-path test${skipped === 1 ? " was" : "s were"}`;
    console.log(`ffmpeg not found on PATH: ${what} skipped; install ffmpeg (apt-get install ffmpeg) to run them`);
  }
}
if (!hasChromium) {
  const skipped = tally === undefined ? undefined : (tally[CHROMIUM_SKIP_REASON] ?? 0);
  if (skipped !== 0) {
    const what = skipped === undefined ? "the browser tests were" : `${skipped} browser test${skipped === 1 ? " was" : "s were"}`;
    console.log(`chromium not installed (${CHROMIUM_PATH}): ${what} skipped; install it (apt-get install chromium) to run them`);
  }
}
if (!hasRedis) {
  const skipped = tally === undefined ? undefined : (tally[REDIS_SKIP_REASON] ?? 0);
  if (skipped !== 0) {
    const what = skipped === undefined ? "the queue tests were" : `${skipped} queue test${skipped === 1 ? " was" : "s were"}`;
    console.log(`redis-server not found on PATH: ${what} skipped; install redis-server (apt-get install redis-server) to run them`);
  }
}
process.exit(result.status ?? 1);
