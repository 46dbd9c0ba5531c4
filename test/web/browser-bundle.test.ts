/**
 * The browser entry (src/browser.ts) bundles with esbuild for the browser platform, and nothing in
 * the bundle reaches Node: no import of a Node built-in survives as an external import, and no
 * chunk names one ("node:fs", require("fs"), …). Node-only paths inside shared files get their
 * modules through util/node-builtin.ts, which a bundler cannot follow.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildBrowserBundle } from "../../scripts/build-browser.mjs";

interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));

/** Places in bundled code that name a Node built-in module. */
export function nodeModuleReferences(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/["'`]node:([a-z_/]+)["'`]/g)) found.push(`"node:${match[1]}"`);
  for (const match of code.matchAll(/\b(?:require|import)\s*\(\s*["'`]([a-z_/]+)["'`]\s*\)/g)) if (NODE_BUILTINS.has(match[1]!)) found.push(match[0]);
  for (const match of code.matchAll(/\bfrom\s*["'`]([a-z_/]+)["'`]/g)) if (NODE_BUILTINS.has(match[1]!)) found.push(match[0]);
  return found;
}

test("the reference scan finds node: strings, require/import of built-ins and from-imports, not look-alikes", () => {
  const code = `a("node:fs");import("path");require("os");import x from"child_process";const y={node:1};"fs-extra";require("tokenizers")`;
  assert.deepEqual(nodeModuleReferences(code), ['"node:fs"', 'import("path")', 'require("os")', 'from"child_process"']);
});

test("the browser bundle (src/browser.ts, esbuild, platform browser) references no Node built-in", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "audioclass-browser-bundle-"));
  try {
    const { metafile } = (await buildBrowserBundle(outdir)) as { metafile: Metafile };
    const externals = Object.entries(metafile.outputs).flatMap(([file, output]) => output.imports.filter((i) => i.external).map((i) => `${file} imports ${i.path} (${i.kind})`));
    assert.deepEqual(externals, [], "a module of the browser bundle imports something esbuild could not bundle (a Node built-in?)");
    const nodeOnly = Object.keys(metafile.inputs).filter((input) => /(^|\/)(onnxruntime-node|src\/runtime\/node-backend|src\/models\/folder-loaders|src\/hub\/resolve-model|src\/weights\/file-io)\b/.test(input));
    assert.deepEqual(nodeOnly, [], "Node-only modules were bundled");
    const references = filesUnder(outdir)
      .filter((file) => file.endsWith(".js"))
      .flatMap((file) => nodeModuleReferences(readFileSync(file, "utf8")).map((ref) => `${relative(outdir, file)}: ${ref}`));
    assert.deepEqual(references, []);
    const entry = readFileSync(join(outdir, "audioclass.js"));
    assert.ok(entry.byteLength < 1024 * 1024, `the entry chunk is ${entry.byteLength} bytes; the codecs and WebGPU build should be separate chunks`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
