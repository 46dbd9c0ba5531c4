import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { downloadModel, GatedRepoError, HubError, RepositoryNotFoundError } from "../../src/hub/index.js";
import { fixtureFiles, startFakeHub, type FakeHub } from "./fake-hub.js";
import { CapturedStream, hubOptions, useSandbox } from "./hub-test-env.js";

const GATED = "acme/gated-ast";
let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([{ id: GATED, files: fixtureFiles("ast"), gated: true }]);
});
after(() => hub.close());

/** Everything an error can show: message, stack, own fields, cause chain. */
function everythingShown(error: unknown): string {
  return [String(error), (error as Error).stack ?? "", inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join("\n");
}

test("a gated repo answers 401 without a token, with a clear error", async (t) => {
  const box = useSandbox(t);
  await assert.rejects(downloadModel(GATED, hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof GatedRepoError);
    assert.equal(error.id, GATED);
    assert.match(error.message, /acme\/gated-ast/);
    assert.match(error.message, /HTTP 401/);
    assert.match(error.message, /HF_TOKEN/);
    assert.ok(error.message.includes(`${hub.url}/${GATED}`), "points to the page where conditions are accepted");
    return true;
  });
});

test("the same gated repo downloads with HF_TOKEN, and the token never reaches the CDN", async (t) => {
  const box = useSandbox(t);
  const start = hub.requests.length;
  const options = hubOptions(hub, box);
  const result = await downloadModel(GATED, { ...options, env: { ...options.env, HF_TOKEN: hub.token } });
  assert.equal(result.files.length, 3);
  const made = hub.requests.slice(start);
  const toHub = made.filter((r) => r.server === "hub");
  const toCdn = made.filter((r) => r.server === "cdn");
  assert.ok(toHub.length > 0 && toHub.every((r) => r.authorization === `Bearer ${hub.token}`));
  assert.equal(toCdn.length, 1);
  assert.equal(toCdn[0]!.authorization, undefined, "the signed CDN URL must not receive the token");
});

test("the token file under HF_HOME is used like huggingface-cli login's", async (t) => {
  const box = useSandbox(t);
  mkdirSync(box.hfHome, { recursive: true });
  writeFileSync(join(box.hfHome, "token"), `${hub.token}\n`);
  const result = await downloadModel(GATED, hubOptions(hub, box));
  assert.equal(result.files.length, 3);
  // token: false overrides every implicit source.
  await assert.rejects(downloadModel(GATED, hubOptions(hub, box, { token: false, cacheDir: join(box.root, "other") })), GatedRepoError);
});

test("a rejected token never appears in errors or on stderr", async (t) => {
  const box = useSandbox(t);
  const secret = "hf_SuperSecretValue0123456789abcdefXYZ";
  const stderr = new CapturedStream();
  stderr.isTTY = true;
  const options = hubOptions(hub, box, { progress: true, stderr });
  // Wrong token for the gated repo: 403.
  let caught: unknown;
  try {
    await downloadModel(GATED, { ...options, env: { ...options.env, HF_TOKEN: secret } });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof HubError, "rejected with a hub error");
  assert.ok(!everythingShown(caught).includes(secret), "token absent from the error");
  assert.ok(!everythingShown(caught).includes("SuperSecret"), "no fragment either");
  assert.ok(!stderr.text.includes(secret));

  // Unknown repo with a token set, and an unreachable endpoint: neither message leaks it.
  const unknown = await downloadModel("acme/nope", { ...options, env: { ...options.env, HF_TOKEN: secret } }).catch((e: unknown) => e);
  assert.ok(unknown instanceof RepositoryNotFoundError);
  assert.ok(!everythingShown(unknown).includes(secret));
  const down = await downloadModel(GATED, { ...options, endpoint: "http://127.0.0.1:9", env: { ...options.env, HF_TOKEN: secret } }).catch((e: unknown) => e);
  assert.ok(down instanceof HubError);
  assert.ok(!everythingShown(down).includes(secret));
  assert.ok(!stderr.text.includes(secret));
});

test("a server that echoes the token back has it scrubbed from the message", async (t) => {
  const box = useSandbox(t);
  const secret = "hf_EchoedSecret0123456789abcdefghijkl";
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const body = JSON.stringify({ error: `bad credentials: ${req.headers.authorization}` });
    res.writeHead(401, { "content-type": "application/json", "x-error-message": `token ${secret} is invalid` });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  const options = hubOptions(undefined, box, { endpoint: `http://127.0.0.1:${port}` });
  const error = await downloadModel("acme/echo", { ...options, env: { ...options.env, HF_TOKEN: secret } }).catch((e: unknown) => e);
  assert.ok(error instanceof HubError);
  assert.match((error as Error).message, /\*\*\*/);
  assert.ok(!everythingShown(error).includes(secret));
});
