/**
 * audioclass in a real browser: the browser bundle (scripts/build-browser.mjs) runs in Debian's
 * headless Chromium, driven by playwright-core. A page served from 127.0.0.1 by this test loads
 * the bundled default model (models/default) over HTTP, classifies its example clip with
 * onnxruntime-web (WASM), and the labels and scores must match Node's pipeline (onnxruntime-node)
 * for the same clip. Skipped when Chromium is not installed (test/helpers/chromium.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pipeline } from "../../src/pipelines/index.js";
import { CHROMIUM_PATH, needsChromium } from "../helpers/chromium.js";
import { startStaticServer } from "../helpers/static-server.js";
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildBrowserBundle } from "../../scripts/build-browser.mjs";

const DEFAULT_MODEL = fileURLToPath(new URL("../../models/default/", import.meta.url));
const EXAMPLE = join(DEFAULT_MODEL, "example.wav");

/**
 * Largest |browser − Node| score allowed. Both run the same ONNX graph; the WASM and native CPU
 * kernels differ in float rounding only (measured on this model: see the test's diagnostic).
 */
const SCORE_TOLERANCE = 1e-5;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>audioclass test page</title></head><body><main id="out"></main></body></html>`;

interface LabelScore {
  label: string;
  score: number;
}

interface PageResult {
  scores: LabelScore[];
  loadMs: number;
  classifyMs: number[];
}

test("Chromium: the browser bundle classifies the example clip with the default model as Node does", needsChromium, async (t) => {
  const node = await pipeline("audio-classification", DEFAULT_MODEL);
  const expected = (await node(EXAMPLE, { topK: 10 })) as LabelScore[];
  await node.dispose();

  const outdir = mkdtempSync(join(tmpdir(), "audioclass-chromium-"));
  const { chromium } = await import("playwright-core");
  let server: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    await buildBrowserBundle(outdir);
    server = await startStaticServer({ "/models/default/": DEFAULT_MODEL, "/": outdir }, { "/": PAGE });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${server.origin}/`);
    const result = await page.evaluate(async (): Promise<PageResult> => {
      // Runs in the page: import the bundle, load the model by URL, classify the clip's bytes.
      const audioclass = await import(`${location.origin}/audioclass.js`);
      const t0 = performance.now();
      const classify = await audioclass.pipeline("audio-classification", "/models/default/");
      const loadMs = performance.now() - t0;
      const bytes = new Uint8Array(await (await fetch("/models/default/example.wav")).arrayBuffer());
      const classifyMs: number[] = [];
      let scores: LabelScore[] = [];
      for (let i = 0; i < 3; i++) {
        const t1 = performance.now();
        scores = await classify(bytes, { topK: 10 });
        classifyMs.push(performance.now() - t1);
      }
      document.getElementById("out")!.textContent = JSON.stringify(scores);
      return { scores, loadMs, classifyMs };
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(result.scores.map((s) => s.label), expected.map((s) => s.label), "the browser's labels, in order, are Node's");
    const diff = Math.max(...result.scores.map((s, i) => Math.abs(s.score - expected[i]!.score)));
    t.diagnostic(`max |browser − node| score ${diff.toExponential(2)}; in-page load ${result.loadMs.toFixed(0)} ms, classify ${result.classifyMs.map((ms) => ms.toFixed(0)).join("/")} ms (1 WASM thread)`);
    assert.ok(diff <= SCORE_TOLERANCE, `scores differ from Node's by ${diff} > ${SCORE_TOLERANCE}: ${JSON.stringify(result.scores)} vs ${JSON.stringify(expected)}`);
    assert.ok(server.requests.includes("/models/default/model.safetensors"), "the page fetched the model's weights from the test server");
    assert.ok(server.requests.includes("/ort-wasm-simd-threaded.wasm"), "ONNX Runtime's WASM build was fetched from next to the bundle");
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(outdir, { recursive: true, force: true });
  }
});
