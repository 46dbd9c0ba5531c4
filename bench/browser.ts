// The browser build, measured side by side with Node: bundle sizes (the entry minified and gzipped,
// ORT's .wasm apart), the demo's first load in headless Chromium (navigation → page ready, then →
// first result), and ms per clip of the default model on its example clip in Chromium (WASM, 1 and
// 2 threads; the page is cross-origin isolated) against Node (onnxruntime-node, 1 and 2 threads).
//   node --import tsx bench/browser.ts [--runs 20] [--model DIR --clip WAV]
// Needs Debian's chromium ($CHROMIUM_PATH or /usr/bin/chromium). Wall-clock on a shared machine:
// compare the figures of one run, and prefer the medians.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { pipeline } from "../src/index.js";
import { CHROMIUM_PATH } from "../test/helpers/chromium.js";
import { startStaticServer } from "../test/helpers/static-server.js";
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildDemo } from "../scripts/build-browser.mjs";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

const runs = Number(option("runs", "20"));
const modelDir = option("model", fileURLToPath(new URL("../models/default/", import.meta.url)));
const clip = option("clip", join(modelDir, "example.wav"));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const summary = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, best ${Math.min(...xs).toFixed(1)} ms`;

const outdir = mkdtempSync(join(tmpdir(), "audioclass-bench-browser-"));
try {
  await buildDemo(outdir);
  const entry = readFileSync(join(outdir, "audioclass.js"));
  const wasm = statSync(join(outdir, "ort-wasm-simd-threaded.wasm")).size;
  const chunks = readdirSync(join(outdir, "chunks")).filter((f) => f.endsWith(".js"));
  const chunkBytes = chunks.reduce((sum, f) => sum + statSync(join(outdir, "chunks", f)).size, 0);
  console.log(`bundle: audioclass.js ${kib(entry.byteLength)} (${kib(gzipSync(entry, { level: 9 }).byteLength)} gzip -9); ORT .wasm ${kib(wasm)} (${kib(gzipSync(readFileSync(join(outdir, "ort-wasm-simd-threaded.wasm")), { level: 9 }).byteLength)} gzip -9); ${chunks.length} on-demand chunks ${kib(chunkBytes)}`);

  const clipBytes = new Uint8Array(readFileSync(clip));
  for (const threads of [1, 2]) {
    const classify = await pipeline("audio-classification", modelDir, { threads });
    const times: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await classify(clipBytes, { topK: 5 });
      if (i >= 2) times.push(performance.now() - t0);
    }
    await classify.dispose();
    console.log(`node (onnxruntime-node), ${threads} thread${threads > 1 ? "s" : ""}: ${summary(times)} per clip`);
  }

  const server = await startStaticServer({ "/bench-model/": modelDir.endsWith("/") ? modelDir : `${modelDir}/`, "/bench-clip/": dirname(clip) + "/", "/": outdir }, {}, { crossOriginIsolated: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
  try {
    const demo = await browser.newPage();
    const t0 = Date.now();
    await demo.goto(`${server.origin}/index.html`);
    await demo.waitForSelector("body[data-state=ready]");
    const ready = Date.now() - t0;
    await demo.getByRole("button", { name: "Classify the example clip" }).click();
    await demo.waitForSelector("body[data-state=done]");
    console.log(`demo first load (fresh browser): page ready ${ready} ms after navigation, first result ${Date.now() - t0} ms after it`);
    await demo.close();
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/index.html`);
      const times = await page.evaluate(async ([threads, runs, clipName]) => {
        const audioclass = await import(`${location.origin}/audioclass.js`);
        audioclass.configure({ numThreads: threads });
        const classify = await audioclass.pipeline("audio-classification", "/bench-model/");
        const bytes = new Uint8Array(await (await fetch(`/bench-clip/${clipName}`)).arrayBuffer());
        const out: number[] = [];
        for (let i = 0; i < runs + 2; i++) {
          const t = performance.now();
          await classify(bytes, { topK: 5 });
          if (i >= 2) out.push(performance.now() - t);
        }
        return out;
      }, [threads, runs, basename(clip)] as const);
      console.log(`chromium (onnxruntime-web WASM), ${threads} thread${threads > 1 ? "s" : ""}: ${summary(times)} per clip`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
