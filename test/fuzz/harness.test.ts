// The fuzz harness (fuzz/) catches each kind of failure in its child process — a wrong exception
// type, a hang, memory beyond the bound, an escaped rejection — saves it once per signature, and
// lets typed errors through; nothing else is excused. Targets that fail on purpose show it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCampaign } from "../../fuzz/campaign.js";
import { ChildExecutor } from "../../fuzz/child-executor.js";
import { FindingStore } from "../../fuzz/findings.js";
import { targets } from "./planted-targets.js";

const PLANTED = fileURLToPath(new URL("./planted-targets.ts", import.meta.url));
const planted = (name: string) => targets.find((t) => t.name === name)!;

test("planted failures become findings of the right kind, saved once per signature; typed errors do not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-fuzz-test-"));
  const executor = new ChildExecutor({ timeoutMs: 400, wallTimeoutMs: 3000, memoryLimitBytes: 300 * 2 ** 20, targetModules: [PLANTED] });
  // Filling 400 MB can take longer than 400 ms on a loaded machine: the memory case gets the
  // default time bound, so only the memory watchdog can stop it.
  const memoryExecutor = new ChildExecutor({ memoryLimitBytes: 300 * 2 ** 20, targetModules: [PLANTED] });
  const store = new FindingStore(dir);
  try {
    const typeError = await runCampaign({ target: planted("planted-type-error"), executor, store, seed: 7, runs: 60 });
    assert.equal(typeError.executions, 60);
    assert.equal(typeError.findings.size, 1, "one signature however many inputs hit it");
    const [finding] = typeError.findings.values();
    assert.equal(finding!.kind, "untyped-error");
    assert.match(finding!.signature, /^TypeError at .*planted-targets\.ts:\d+/);
    assert.ok(typeError.typedErrors > 0, "even inputs threw the AudioclassError, which is not a finding");
    const saved = readFileSync(join(finding!.folder, "input.bin"));
    assert.equal(saved[0]! % 2, 1, "the saved input reproduces the TypeError");
    assert.equal(JSON.parse(readFileSync(join(finding!.folder, "finding.json"), "utf8")).outcome.name, "TypeError");

    // A busy loop is stopped by the CPU-time bound, a wait that burns no CPU by the wall-clock backstop.
    const cases: Array<[string, string, string?]> = [["planted-hang", "timeout", "cpu"], ["planted-stall", "timeout", "wall"], ["planted-memory", "memory"], ["planted-escaped", "untyped-error"], ["planted-allocation", "untyped-error"]];
    for (const [name, kind, clock] of cases) {
      const stats = await runCampaign({ target: planted(name), executor: kind === "memory" ? memoryExecutor : executor, store, seed: 1, runs: 1 });
      assert.equal(stats.executions, 1, name);
      assert.deepEqual([...stats.findings.values()].map((f) => f.kind), [kind], name);
      assert.ok([...stats.findings.values()].every((f) => f.reproduced), `${name} reproduces in a fresh child`);
      if (clock !== undefined) {
        const [finding] = stats.findings.values();
        assert.equal(JSON.parse(readFileSync(join(finding!.folder, "finding.json"), "utf8")).outcome.clock, clock, `${name} is stopped by the ${clock} clock`);
      }
    }
    const escaped = await runCampaign({ target: planted("planted-escaped"), executor, store, seed: 2, runs: 3 });
    assert.deepEqual([...escaped.findings.keys()].map((s) => s.split(" at ")[0]), ["escaped RangeError"], "one signature for three inputs");

    const allocation = await runCampaign({ target: planted("planted-allocation"), executor, store, seed: 1, runs: 5 });
    assert.deepEqual([...allocation.findings.keys()].map((s) => s.split(" at ")[0]), ["RangeError"], "an allocation failure is a finding, whatever the input");
    assert.ok(existsSync(join([...allocation.findings.values()][0]!.folder, "input.bin")));

    // After the kills the executor still serves a healthy target.
    const after = await runCampaign({ target: planted("planted-type-error"), executor, store, seed: 7, runs: 3 });
    assert.equal(after.executions, 3);
  } finally {
    await executor.stop();
    await memoryExecutor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the same seed gives the same inputs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-fuzz-test-"));
  const executor = new ChildExecutor({ targetModules: [PLANTED] });
  try {
    const run = async (seed: number) => {
      const store = new FindingStore(join(dir, String(seed) + Math.random()));
      const stats = await runCampaign({ target: planted("planted-type-error"), executor, store, seed, runs: 40 });
      return [stats.typedErrors, stats.corpusSize, readFileSync(join([...stats.findings.values()][0]!.folder, "input.bin")).toString("hex")];
    };
    const first = await run(3);
    assert.deepEqual(await run(3), first);
    assert.notDeepEqual(await run(4), first);
  } finally {
    await executor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
