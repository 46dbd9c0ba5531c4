/**
 * Per-test sandboxes: a temp HF_HOME/cache that is removed afterwards, and hub options pointing at
 * a fake hub, so no test ever reads the user's cache or token or touches the network.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HubOptions } from "../../src/hub/index.js";
import type { FakeHub } from "./fake-hub.js";

export interface Sandbox {
  root: string;
  hfHome: string;
  cacheDir: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "audioclass-hub-"));
  const hfHome = join(root, "hf-home");
  return { root, hfHome, cacheDir: join(hfHome, "hub"), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Captures what would go to stderr. */
export class CapturedStream {
  text = "";
  isTTY = false;
  columns = 80;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Options for a fake-hub run: isolated env (HF_HOME in the sandbox), fast retries, stderr captured. */
export function hubOptions(hub: FakeHub | undefined, box: Sandbox, extra: HubOptions = {}): HubOptions {
  return {
    stderr: new CapturedStream(),
    endpoint: hub?.url ?? "http://127.0.0.1:9",
    cacheDir: box.cacheDir,
    env: { HF_HOME: box.hfHome, HOME: box.root },
    progress: false,
    retries: 0,
    retryDelayMs: 10,
    metadataTimeoutMs: 2000,
    downloadTimeoutMs: 2000,
    ...extra,
  };
}

/** A sandbox removed when the test ends. */
export function useSandbox(t: { after: (fn: () => void) => void }): Sandbox {
  const box = makeSandbox();
  t.after(box.cleanup);
  return box;
}
