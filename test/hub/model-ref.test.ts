import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  hubEnvironment,
  InvalidModelRefError,
  isValidRepoId,
  ModelFolderNotFoundError,
  parseModelRef,
  resolveModel,
} from "../../src/hub/index.js";
import { resolveToken, redactSecrets, displayUrl } from "../../src/hub/token.js";
import { hubOptions, useSandbox } from "./hub-test-env.js";

test("parseModelRef splits id and revision", () => {
  assert.deepEqual(parseModelRef("MIT/ast-finetuned-speech-commands-v2"), { id: "MIT/ast-finetuned-speech-commands-v2" });
  assert.deepEqual(parseModelRef("bert-base-uncased"), { id: "bert-base-uncased" });
  assert.deepEqual(parseModelRef("org/name@v1.0"), { id: "org/name", revision: "v1.0" });
  assert.deepEqual(parseModelRef("org/name@refs/pr/12"), { id: "org/name", revision: "refs/pr/12" });
  const sha = "a".repeat(40);
  assert.deepEqual(parseModelRef(`org/name@${sha}`), { id: "org/name", revision: sha });
});

test("parseModelRef rejects malformed ids and revisions with advice", () => {
  const bad = ["", "a/b/c", "org--x/name", "org/na..me", "-org/name", "org/name-", "org/na me", "org/name@", " org/name", "org/name@../../etc", "org/name@a b", "org/name@/main", "org/name@x\\y"];
  for (const ref of bad) assert.throws(() => parseModelRef(ref), InvalidModelRefError, ref);
  assert.throws(() => parseModelRef("https://huggingface.co/MIT/ast/tree/main"), /pass the model id instead \(e\.g\. "MIT\/ast"\)/);
  assert.throws(() => parseModelRef("x".repeat(97)), /longer than 96/);
  assert.equal(isValidRepoId("facebook/wav2vec2-base-960h"), true);
  assert.equal(isValidRepoId("laion/clap-htsat-unfused"), true);
  assert.equal(isValidRepoId("a/b/c"), false);
});

test("a local folder wins over a hub id; path-like refs that do not exist fail clearly", async (t) => {
  const box = useSandbox(t);
  const folder = join(box.root, "MIT", "ast");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "config.json"), "{}");
  const cwd = process.cwd();
  process.chdir(box.root);
  t.after(() => process.chdir(cwd));
  // "MIT/ast" is a valid hub id, but the folder exists: no network is needed (the endpoint is dead).
  assert.deepEqual(await resolveModel("MIT/ast", hubOptions(undefined, box)), { dir: folder, source: "folder" });
  assert.deepEqual(await resolveModel(folder, hubOptions(undefined, box)), { dir: folder, source: "folder" });
  assert.deepEqual(await resolveModel("~/MIT/ast", hubOptions(undefined, box)), { dir: folder, source: "folder" });
  await assert.rejects(resolveModel("./missing/model", hubOptions(undefined, box)), ModelFolderNotFoundError);
  await assert.rejects(resolveModel(join(box.root, "nope"), hubOptions(undefined, box)), (error: unknown) => {
    assert.ok(error instanceof ModelFolderNotFoundError);
    assert.match(error.message, /No folder at .*nope/);
    return true;
  });
  await assert.rejects(resolveModel(join(folder, "config.json"), hubOptions(undefined, box)), /is a file, not a model folder/);
  await assert.rejects(resolveModel(folder, hubOptions(undefined, box, { revision: "main" })), /applies only to hub ids/);
  await assert.rejects(resolveModel("org/name@v1", hubOptions(undefined, box, { revision: "v2" })), /Two revisions given/);
});

test("the cache folder follows HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache", () => {
  assert.equal(hubEnvironment({ HF_HUB_CACHE: "/c/hub", HF_HOME: "/h" }).cacheDir, "/c/hub");
  assert.equal(hubEnvironment({ HUGGINGFACE_HUB_CACHE: "/legacy" }).cacheDir, "/legacy");
  assert.equal(hubEnvironment({ HF_HOME: "/h" }).cacheDir, "/h/hub");
  assert.equal(hubEnvironment({ XDG_CACHE_HOME: "/x", HOME: "/home/u" }).cacheDir, "/x/huggingface/hub");
  assert.equal(hubEnvironment({ HOME: "/home/u" }).cacheDir, "/home/u/.cache/huggingface/hub");
  assert.equal(hubEnvironment({ HF_HOME: "~/hf", HOME: "/home/u" }).cacheDir, "/home/u/hf/hub");
  assert.equal(hubEnvironment({ HF_HOME: "/h" }).tokenPath, "/h/token");
  assert.equal(hubEnvironment({ HF_TOKEN_PATH: "/t/tok" }).tokenPath, "/t/tok");
});

test("endpoint, offline switch and timeouts read like huggingface_hub", () => {
  assert.equal(hubEnvironment({}).endpoint, "https://huggingface.co");
  assert.equal(hubEnvironment({ HF_ENDPOINT: "https://hf-mirror.com/" }).endpoint, "https://hf-mirror.com");
  for (const value of ["1", "true", "YES", "on"]) assert.equal(hubEnvironment({ HF_HUB_OFFLINE: value }).offline, true, value);
  for (const value of ["0", "false", "", "no"]) assert.equal(hubEnvironment({ HF_HUB_OFFLINE: value }).offline, false, value);
  assert.equal(hubEnvironment({ TRANSFORMERS_OFFLINE: "1" }).offline, true);
  assert.equal(hubEnvironment({ HF_HUB_ETAG_TIMEOUT: "2.5" }).etagTimeoutMs, 2500);
  assert.equal(hubEnvironment({ HF_HUB_DOWNLOAD_TIMEOUT: "nonsense" }).downloadTimeoutMs, 10_000);
});

test("the token comes from the option, HF_TOKEN, the legacy variable, then the token file", (t) => {
  const box = useSandbox(t);
  mkdirSync(box.hfHome, { recursive: true });
  writeFileSync(join(box.hfHome, "token"), "hf_fromFile\n");
  const env = { HF_HOME: box.hfHome };
  const resolve = (explicit: string | false | undefined, extra: Record<string, string> = {}) =>
    resolveToken(explicit, { ...env, ...extra }, hubEnvironment({ ...env, ...extra }));
  assert.equal(resolve("hf_explicit", { HF_TOKEN: "hf_env" }), "hf_explicit");
  assert.equal(resolve(undefined, { HF_TOKEN: "hf_env", HUGGING_FACE_HUB_TOKEN: "hf_legacy" }), "hf_env");
  assert.equal(resolve(undefined, { HUGGING_FACE_HUB_TOKEN: "hf_legacy" }), "hf_legacy");
  assert.equal(resolve(undefined), "hf_fromFile");
  assert.equal(resolve(false, { HF_TOKEN: "hf_env" }), undefined);
  assert.equal(resolve(undefined, { HF_TOKEN: "hf_env", HF_HUB_DISABLE_IMPLICIT_TOKEN: "1" }), undefined);
  assert.equal(resolve(undefined, { HF_TOKEN_PATH: join(box.root, "absent") }), undefined);
});

test("secrets are scrubbed from text and URLs shown to users", () => {
  assert.equal(redactSecrets("bad token abc123 here", "abc123"), "bad token *** here");
  assert.equal(redactSecrets("Authorization: Bearer xyz.secret"), "Authorization: Bearer ***");
  assert.equal(redactSecrets("hf_AbCdEfGhIjKlMnOpQrSt is leaked"), "hf_*** is leaked");
  assert.equal(displayUrl("https://user:pw@cdn.example.com/blob?X-Amz-Signature=s3cr3t#x"), "https://cdn.example.com/blob");
});
