/**
 * A worker thread running one of audioclass's own modules. From the compiled package that is the
 * sibling `.js` file; when the library runs from its TypeScript sources (tests, benches under
 * tsx), a worker does not inherit tsx's loader (Node 20 workers do not run the parent's
 * --import), so the worker registers it before importing the `.ts` module.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/** `callerUrl`: the caller's import.meta.url; `stem`: the module next to it, without extension ("./input-worker"). */
export function startModuleWorker(callerUrl: string, stem: string, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  const fromSource = callerUrl.endsWith(".ts");
  const entry = new URL(`${stem}.${fromSource ? "ts" : "js"}`, callerUrl).href;
  const code = fromSource
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  return new Worker(code, { ...options, eval: true });
}
