/**
 * audioclass in a real browser: the browser bundle and the demo page (scripts/build-browser.mjs)
 * run in Debian's headless Chromium, driven by playwright-core. A 127.0.0.1 server started here
 * serves them with the bundled default model (models/default); the page classifies its example
 * clip with onnxruntime-web (WASM), and the labels and scores must match Node's pipeline
 * (onnxruntime-node) for the same clip. Skipped when Chromium is not installed
 * (test/helpers/chromium.ts).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { pipeline } from "../../src/pipelines/index.js";
import { CHROMIUM_PATH, chromiumInstalled, needsChromium } from "../helpers/chromium.js";
import { startStaticServer, type StaticServer } from "../helpers/static-server.js";
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildDemo } from "../../scripts/build-browser.mjs";

const DEFAULT_MODEL = fileURLToPath(new URL("../../models/default/", import.meta.url));
const AUDIO_FIXTURES = fileURLToPath(new URL("../fixtures/audio/", import.meta.url));
const EXAMPLE = join(DEFAULT_MODEL, "example.wav");
/** Where the demo test leaves its screenshot (dist/ is not committed). */
const SCREENSHOT = fileURLToPath(new URL("../../dist/test-screenshots/web-demo.png", import.meta.url));

/**
 * Largest |browser − Node| score allowed. Both run the same ONNX graph; the WASM and native CPU
 * kernels differ in float rounding only (measured on this model: ~4e-10, see the diagnostics).
 */
const SCORE_TOLERANCE = 1e-5;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>audioclass test page</title></head><body><main id="out"></main></body></html>`;

interface LabelScore {
  label: string;
  score: number;
}

let outdir: string;
let server: StaticServer;
/** The same files with cross-origin isolation headers: pages there may use WASM threads. */
let isolated: StaticServer;
let browser: Browser;
let expected: LabelScore[];

before(async () => {
  if (!chromiumInstalled) return;
  const node = await pipeline("audio-classification", DEFAULT_MODEL);
  expected = (await node(EXAMPLE, { topK: 10 })) as LabelScore[];
  await node.dispose();
  outdir = mkdtempSync(join(tmpdir(), "audioclass-chromium-"));
  await buildDemo(outdir);
  server = await startStaticServer({ "/fixtures/audio/": AUDIO_FIXTURES, "/": outdir }, { "/": PAGE });
  isolated = await startStaticServer({ "/": outdir }, { "/": PAGE }, { crossOriginIsolated: true });
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await isolated?.close();
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
});

function scoreDifference(actual: LabelScore[], what: string): number {
  assert.deepEqual(actual.map((s) => s.label), expected.slice(0, actual.length).map((s) => s.label), `${what}: the browser's labels, in order, are Node's`);
  const diff = Math.max(...actual.map((s, i) => Math.abs(s.score - expected[i]!.score)));
  assert.ok(diff <= SCORE_TOLERANCE, `${what}: scores differ from Node's by ${diff} > ${SCORE_TOLERANCE}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  return diff;
}

test("Chromium: the browser bundle classifies the example clip with the default model as Node does", needsChromium, async (t) => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${server.origin}/`);
  const result = await page.evaluate(async () => {
    // Runs in the page: import the bundle, load the model by URL, classify the clip's bytes.
    const audioclass = await import(`${location.origin}/audioclass.js`);
    const t0 = performance.now();
    const classify = await audioclass.pipeline("audio-classification", "/models/default/");
    const loadMs = performance.now() - t0;
    const bytes = new Uint8Array(await (await fetch("/models/default/example.wav")).arrayBuffer());
    const classifyMs: number[] = [];
    let scores: { label: string; score: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      scores = await classify(bytes, { topK: 10 });
      classifyMs.push(performance.now() - t1);
    }
    return { scores, loadMs, classifyMs };
  });
  await page.close();
  assert.deepEqual(errors, []);
  const diff = scoreDifference(result.scores, "bundle");
  t.diagnostic(`max |browser − node| score ${diff.toExponential(2)}; in-page load ${result.loadMs.toFixed(0)} ms, classify ${result.classifyMs.map((ms) => ms.toFixed(0)).join("/")} ms (1 WASM thread)`);
  assert.ok(server.requests.includes("/models/default/model.safetensors"), "the page fetched the model's weights from the test server");
  assert.ok(server.requests.includes("/ort-wasm-simd-threaded.wasm"), "ONNX Runtime's WASM build was fetched from next to the bundle");
});

test("Chromium: the demo page classifies the example from the keyboard and shows Node's top labels; screenshot written", needsChromium, async (t) => {
  const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const t0 = Date.now();
  await page.goto(`${server.origin}/index.html`);
  await page.waitForSelector("body[data-state=ready]");
  const readyMs = Date.now() - t0;
  // Keyboard only: the example button is reachable and works with Enter.
  await page.getByRole("button", { name: "Classify the example clip" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 60_000 });
  const status = await page.locator("#status").textContent();
  assert.equal(await page.getAttribute("body", "data-state"), "done", `the page says: ${status}`);
  const shown = await page.$$eval("#results li", (items) => items.map((li) => ({ label: li.getAttribute("data-label")!, score: Number(li.getAttribute("data-score")) })));
  assert.equal(shown.length, 5, "the top 5 labels are shown");
  const diff = scoreDifference(shown, "demo page");
  // Each bar is a labelled meter, for screen readers.
  assert.equal(await page.getByRole("meter", { name: new RegExp(`^${shown[0]!.label}: `) }).count(), 1);
  mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await page.close();
  assert.deepEqual(errors, []);
  t.diagnostic(`demo ready ${readyMs} ms after navigation; ${status}; max |page − node| ${diff.toExponential(2)}; screenshot ${SCREENSHOT}`);
});

test("Chromium: a cross-origin isolated page runs ONNX Runtime on 2 WASM threads, with Node's scores", needsChromium, async (t) => {
  const page = await browser.newPage();
  const errors: string[] = [];
  const workers: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("worker", (worker) => workers.push(worker.url()));
  await page.goto(`${isolated.origin}/`);
  const result = await page.evaluate(async () => {
    const audioclass = await import(`${location.origin}/audioclass.js`);
    audioclass.configure({ numThreads: 2 });
    const classify = await audioclass.pipeline("audio-classification", "/models/default/");
    const bytes = new Uint8Array(await (await fetch("/models/default/example.wav")).arrayBuffer());
    const classifyMs: number[] = [];
    let scores: { label: string; score: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      scores = await classify(bytes, { topK: 10 });
      classifyMs.push(performance.now() - t1);
    }
    return { scores, classifyMs, isolated: crossOriginIsolated };
  });
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(result.isolated, true, "the page is cross-origin isolated (COOP/COEP)");
  assert.ok(workers.length > 0, "ONNX Runtime started a thread (a worker) for its second WASM thread");
  const diff = scoreDifference(result.scores, "2 threads");
  t.diagnostic(`2 WASM threads: max |browser − node| ${diff.toExponential(2)}; classify ${result.classifyMs.map((ms) => ms.toFixed(0)).join("/")} ms`);
});

test("Chromium: formats the built-in decoders do not read (WebM/Opus) are decoded by the browser (decodeAudioData) at the rate asked for", needsChromium, async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${server.origin}/`);
  const result = await page.evaluate(async () => {
    const audioclass = await import(`${location.origin}/audioclass.js`);
    const bytes = new Uint8Array(await (await fetch("/fixtures/audio/opus-mono-48000.webm")).arrayBuffer());
    const audio = await audioclass.readAudio(bytes, { samplingRate: 16000 });
    const channel: Float32Array = audio.channels[0];
    let peak = 0;
    for (const x of channel) peak = Math.max(peak, Math.abs(x));
    const classify = await audioclass.pipeline("audio-classification", "/models/default/");
    const scores: { label: string; score: number }[] = await classify(bytes, { topK: 10 });
    // Recognisably not audio: the built-in decoders' typed error, Web Audio is not tried.
    const html = new TextEncoder().encode("<!doctype html><html><body>not audio</body></html>");
    const refused = await audioclass.readAudio(html).then(() => "decoded", (error: Error) => error.name);
    // Unrecognised bytes: Web Audio is tried, and the error says both decoders failed.
    const noise = new Uint8Array(64).fill(7);
    const failed = await audioclass.readAudio(noise).then(() => "decoded", (error: Error) => `${error.name}: ${error.message}`);
    return { rate: audio.samplingRate, channels: audio.channels.length, length: channel.length, peak, labels: scores.length, total: scores.reduce((sum, s) => sum + s.score, 0), refused, failed };
  });
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(result.rate, 16000);
  assert.equal(result.channels, 1);
  assert.ok(result.length > 1600 && result.peak > 0.01 && result.peak <= 1.5, `a plausible decode: ${JSON.stringify(result)}`);
  assert.equal(result.labels, 10);
  assert.ok(Math.abs(result.total - 1) < 1e-4, `softmax scores sum to 1, got ${result.total}`);
  assert.equal(result.refused, "UnsupportedAudioFormatError");
  assert.match(result.failed, /^AudioDecodeError: .*not recognised.*decodeAudioData/);
});

test("Chromium: the demo records from the microphone (Chromium's fake capture fed from the example WAV) and classifies the recording", needsChromium, async (t) => {
  const { chromium } = await import("playwright-core");
  // A browser of its own: the fake microphone is chosen at launch.
  const withMicrophone = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${EXAMPLE}`, "--autoplay-policy=no-user-gesture-required"],
  });
  try {
    const page = await withMicrophone.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForSelector("body[data-state=ready]");
    await page.getByRole("button", { name: "Record 2 s from the microphone" }).click();
    await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 60_000 });
    const status = (await page.locator("#status").textContent()) ?? "";
    assert.equal(await page.getAttribute("body", "data-state"), "done", `the page says: ${status}`);
    assert.match(status, /from the microphone/);
    const shown = await page.$$eval("#results li", (items) => items.map((li) => ({ label: li.getAttribute("data-label")!, score: Number(li.getAttribute("data-score")) })));
    assert.equal(shown.length, 5);
    assert.ok(shown.every((s, i) => s.score >= 0 && s.score <= 1 && (i === 0 || s.score <= shown[i - 1]!.score)), `scores sorted in [0, 1]: ${JSON.stringify(shown)}`);
    // The fake microphone loops example.wav (a spoken "7", 0.64 s): any recorded second holds one.
    assert.equal(shown[0]!.label, expected[0]!.label, `the recording is heard as the example's digit: ${JSON.stringify(shown)}`);
    assert.deepEqual(errors, []);
    t.diagnostic(`microphone: ${status}; top ${JSON.stringify(shown.slice(0, 2))}`);
  } finally {
    await withMicrophone.close();
  }
});
