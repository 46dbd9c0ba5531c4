// The bundled default model (models/default): found without a model argument, offline, and it
// hears the "7" in its example clip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { bundledDefaultModel, pipeline } from "../../src/pipelines/index.js";
import { runCli } from "../../src/cli/cli.js";
import { CapturedStream } from "../hub/hub-test-env.js";

const EXAMPLE = fileURLToPath(new URL("../../models/default/example.wav", import.meta.url));

test("pipeline() without a model uses the bundled default, which labels its example clip 7", async () => {
  assert.ok(bundledDefaultModel()?.endsWith("models/default/"));
  const classify = await pipeline("audio-classification", undefined, { threads: 1 });
  const [top] = await classify(EXAMPLE, { topK: 1 });
  assert.equal(top!.label, "7");
  assert.ok(top!.score > 0.9);
  assert.deepEqual(classify.model.labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
});

test("audioclass classify without --model runs offline on the bundled default", async () => {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: new CapturedStream(), env: { CI: "true", HF_HUB_OFFLINE: "1" } };
  assert.equal(await runCli(["classify", "--format", "json", "-k", "1", EXAMPLE], io), 0, io.err);
  assert.equal(JSON.parse(io.out)[0].predictions[0].label, "7");
});
