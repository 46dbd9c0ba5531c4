// Every fuzz target runs up to 300 mutated inputs or ~0.25 s, whichever comes first (on this 2-core
// machine the fast parsers manage a few hundred, the WASM codecs ~30 and the feature extractors a
// handful) with a fixed seed and finds nothing: the harness and its targets cannot rot unnoticed,
// and a parser regression that the seed-1 inputs reach fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCampaign } from "../../fuzz/campaign.js";
import { ChildExecutor } from "../../fuzz/child-executor.js";
import { FindingStore } from "../../fuzz/findings.js";
import { loadTarget, TARGET_NAMES } from "../../fuzz/targets/index.js";

test("each fuzz target runs with seed 1 and finds nothing new", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-fuzz-smoke-"));
  const executor = new ChildExecutor();
  try {
    for (const name of TARGET_NAMES) {
      const target = (await loadTarget(name))!;
      assert.ok(target.seeds().length > 0, `${name} has seeds`);
      const stats = await runCampaign({ target, executor, store: new FindingStore(dir), seed: 1, runs: 300, seconds: 0.25 });
      // The clock starts after the first input (child start, module loading), so at least two run.
      assert.ok(stats.executions >= 2, `${name} ran only ${stats.executions} inputs`);
      assert.ok(stats.ok + stats.typedErrors > 0, `${name}: some inputs returned or were refused with a typed error`);
      assert.deepEqual([...stats.findings.keys()], [], `${name} findings (saved under ${dir})`);
    }
  } finally {
    await executor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
