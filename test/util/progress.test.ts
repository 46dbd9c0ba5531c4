import { test } from "node:test";
import assert from "node:assert/strict";
import { createProgressBar, formatBytes, formatDuration, formatRate, isInteractive } from "../../src/util/progress.js";

class FakeStream {
  chunks: string[] = [];
  constructor(
    public isTTY: boolean,
    public columns = 80,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join("");
  }
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The visible lines of terminal output: what is left after carriage returns and erase codes. */
function visibleLines(text: string): string[] {
  return text
    .replace(/\x1b\[K/g, "")
    .split("\n")
    .map((line) => line.split("\r").at(-1) ?? "")
    .filter((line) => line.length > 0);
}

test("on a terminal the bar redraws in place, throttled, and ends with a summary", () => {
  const stream = new FakeStream(true, 100);
  const c = clock();
  const bar = createProgressBar({ label: "model.safetensors", total: 10_000_000, unit: "bytes", stream, now: c.now, env: {} });
  const drawsAtStart = stream.chunks.length;
  for (let i = 0; i < 50; i++) {
    c.advance(1); // 50 updates within 50 ms: at most one redraw
    bar.increment(10_000);
  }
  assert.ok(stream.chunks.length - drawsAtStart <= 1, "throttled");
  c.advance(1000);
  bar.update(5_000_000);
  const last = stream.chunks.at(-1)!;
  assert.ok(last.startsWith("\r"), "redrawn in place");
  assert.ok(!last.includes("\n"));
  assert.match(last, /model\.safetensors\s+50% \|█+ *\| 5\.00 MB\/10\.0 MB\s+\d+(\.\d+)? MB\/s\s+ETA 0:0\d/);
  for (const line of visibleLines(stream.text)) assert.ok(line.length <= 99, `fits in 99 columns: ${line.length}`);
  c.advance(1000);
  bar.finish();
  assert.ok(stream.text.endsWith("\n"));
  assert.match(visibleLines(stream.text).at(-1)!, /^model\.safetensors: 5\.00 MB in 2\.0 s, 2\.44 MB\/s$/);
  bar.increment(5); // ignored after finish
  assert.ok(stream.text.endsWith("\n"));
});

test("long labels are shortened so a narrow terminal never wraps", () => {
  const stream = new FakeStream(true, 40);
  const c = clock();
  const bar = createProgressBar({ label: "a/very/long/path/to/some/model/weights/model-00001-of-00009.safetensors", total: 100, stream, now: c.now, env: {} });
  c.advance(500);
  bar.update(40);
  for (const line of visibleLines(stream.text)) assert.ok(line.length <= 39, line);
});

test("when not a terminal: silent at first, an occasional plain line, then the summary", () => {
  const stream = new FakeStream(false);
  const c = clock();
  const bar = createProgressBar({ label: "weights", total: 1000, unit: "bytes", stream, now: c.now, logIntervalMs: 10_000, env: {} });
  for (let i = 0; i < 9; i++) {
    c.advance(1000);
    bar.increment(50);
  }
  assert.equal(stream.text, "", "nothing before the interval");
  c.advance(1000);
  bar.increment(50);
  assert.equal(stream.chunks.length, 1);
  assert.match(stream.text, /^weights: 50%, 500 B\/1\.00 kB, 50 B\/s, ETA 0:10\n$/);
  assert.ok(!stream.text.includes("\r") && !stream.text.includes("\x1b"), "no terminal codes in logs");
  bar.finish("verified");
  assert.match(stream.chunks.at(-1)!, /^weights: 500 B in 10\.0 s, 50 B\/s \(verified\)\n$/);
});

test("CI=true and TERM=dumb count as not interactive; quiet prints nothing", () => {
  assert.equal(isInteractive(new FakeStream(true), {}), true);
  assert.equal(isInteractive(new FakeStream(true), { CI: "true" }), false);
  assert.equal(isInteractive(new FakeStream(true), { CI: "false" }), true);
  assert.equal(isInteractive(new FakeStream(true), { TERM: "dumb" }), false);
  assert.equal(isInteractive(new FakeStream(false), {}), false);
  const stream = new FakeStream(true);
  const bar = createProgressBar({ label: "x", total: 10, stream, quiet: true, env: {} });
  bar.update(5);
  bar.finish();
  assert.equal(stream.text, "");
  const ci = new FakeStream(true);
  const c = clock();
  const ciBar = createProgressBar({ label: "x", total: 10, stream: ci, env: { CI: "true" }, now: c.now });
  ciBar.update(5);
  ciBar.finish();
  assert.ok(!ci.text.includes("\r"));
  assert.match(ci.text, /^x: 5 in 0\.0 s/);
});

test("unknown totals show amount and rate without percent or ETA; failures end the line", () => {
  const stream = new FakeStream(true);
  const c = clock();
  const bar = createProgressBar({ label: "stream", unit: "bytes", stream, now: c.now, env: {} });
  c.advance(1000);
  bar.update(2_500_000);
  const line = visibleLines(stream.text).at(-1)!;
  assert.match(line, /^stream\s+2\.50 MB\s+2\.50 MB\/s$/);
  bar.fail("connection reset");
  assert.match(visibleLines(stream.text).at(-1)!, /^stream: failed after 2\.50 MB \(connection reset\)$/);
});

test("a resumed transfer counts earlier bytes in the position but not in the rate", () => {
  const stream = new FakeStream(true);
  const c = clock();
  const bar = createProgressBar({ label: "w", total: 2_000_000, initial: 1_000_000, unit: "bytes", stream, now: c.now, env: {} });
  c.advance(1000);
  bar.increment(100_000);
  assert.match(stream.chunks.at(-1)!, /55% .* 1\.10 MB\/2\.00 MB\s+100 kB\/s\s+ETA 0:09/);
});

test("bytes, rates and durations are formatted like tqdm", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1000), "1.00 kB");
  assert.equal(formatBytes(380_144), "380 kB");
  assert.equal(formatBytes(12_345_678), "12.3 MB");
  assert.equal(formatBytes(999_600), "1.00 MB", "rounding carries into the next unit");
  assert.equal(formatBytes(1.5e9), "1.50 GB");
  assert.equal(formatRate(2_000_000), "2.00 MB/s");
  assert.equal(formatDuration(7), "0:07");
  assert.equal(formatDuration(65), "1:05");
  assert.equal(formatDuration(3723), "1:02:03");
  assert.equal(formatDuration(Infinity), "?");
});
