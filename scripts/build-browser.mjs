#!/usr/bin/env node
// Bundles audioclass's browser entry (src/browser.ts) with esbuild: an ES module (audioclass.js)
// plus chunks a page loads on demand (codecs, ORT's WebGPU build), and onnxruntime-web's WASM
// binaries where ORT fetches them.
//   node scripts/build-browser.mjs [outdir]      (default dist/web; with the demo page, src/web/)
// Also imported by test/web/*.test.ts, which build into a temporary folder.
import { copyFileSync, cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * ORT's WASM binaries, each where its loader looks (next to the module that loads it, by
 * import.meta.url): the WASM build (SIMD; threads when cross-origin isolated) next to the entry;
 * the WebGPU build's, fetched only when a page asks for device "webgpu", next to its chunk.
 */
export const ORT_WASM_FILES = [
  { file: "ort-wasm-simd-threaded.wasm", dir: "" },
  { file: "ort-wasm-simd-threaded.asyncify.wasm", dir: "chunks" },
];

/**
 * onnxruntime-web guesses a thread count with require("node:os") when there is no navigator (i.e.
 * in Node); in a browser that branch never runs, and the thread count is ours anyway
 * (runtime/web-backend.ts sets it). The call is replaced by 1 in ORT's files only, so the bundle
 * names no Node module; anything of ours importing node:* stays an external import and
 * test/web/browser-bundle.test.ts fails on it.
 */
const ORT_NODE_OS_CALL = /\b[\w$]+\("node:os"\)\.cpus\(\)\.length/g;
const ortWithoutNodeOs = {
  name: "ort-without-node-os",
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/]onnxruntime-web[\\/]dist[\\/].*\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      return { contents: text.replace(ORT_NODE_OS_CALL, "1"), loader: "js" };
    });
  },
};

/** Builds into `outdir`; returns the entry's path and esbuild's metafile (what went in). */
export async function buildBrowserBundle(outdir, { minify = true } = {}) {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, "audioclass.js");
  const result = await build({
    entryPoints: [join(root, "src", "browser.ts")],
    outdir,
    entryNames: "audioclass",
    // Codecs (the Opus one alone is ~4 MB of inlined WASM) and ORT's WebGPU build are imported on
    // first use, so they become chunks a page downloads only when it needs them.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify,
    // Typed errors name themselves after their class (errors.ts: new.target.name); minified
    // names would make every error "ye".
    keepNames: true,
    sourcemap: false,
    metafile: true,
    logLevel: "silent",
    // onnxruntime-web's "bundle" build inlines its glue code; only the .wasm is fetched.
    conditions: ["browser", "import"],
    plugins: [ortWithoutNodeOs],
  });
  for (const { file, dir } of ORT_WASM_FILES) copyFileSync(join(root, "node_modules", "onnxruntime-web", "dist", file), join(outdir, dir, file));
  return { outfile, metafile: result.metafile, warnings: result.warnings };
}

/** The demo's script imports the library as the page serves it, not a second copy of it. */
const browserEntryAsBundle = {
  name: "browser-entry-as-bundle",
  setup(b) {
    b.onResolve({ filter: /\/browser\.js$/ }, () => ({ path: "./audioclass.js", external: true }));
  },
};

/**
 * The demo page (src/web/): the bundle, the page and its script, and the bundled default model
 * with its example clip, so the page works offline from any static file server.
 */
export async function buildDemo(outdir, options = {}) {
  const bundle = await buildBrowserBundle(outdir, options);
  await build({
    entryPoints: [join(root, "src", "web", "demo.ts")],
    outfile: join(outdir, "demo.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: options.minify ?? true,
    logLevel: "silent",
    plugins: [browserEntryAsBundle],
  });
  copyFileSync(join(root, "src", "web", "index.html"), join(outdir, "index.html"));
  cpSync(join(root, "models", "default"), join(outdir, "models", "default"), { recursive: true });
  return bundle;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = process.argv[2] ?? join(root, "dist", "web");
  const { outfile, metafile } = await buildDemo(outdir);
  for (const [file, info] of Object.entries(metafile.outputs)) console.log(`${(info.bytes / 1024).toFixed(0).padStart(6)} KiB  ${file}`);
  console.log(`entry: ${outfile}`);
}
