import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandInputs } from "../../src/cli/expand-inputs.js";
import { InvalidArgumentError } from "../../src/errors.js";

test("directories expand recursively to sorted audio files; files and URLs pass through", async () => {
  const dir = await mkdtemp(join(tmpdir(), "audioclass-expand-"));
  try {
    await mkdir(join(dir, "sub"));
    await mkdir(join(dir, "empty"));
    for (const f of ["b.wav", "a.MP3", "notes.txt", ".hidden.wav", "sub/c.flac"]) await writeFile(join(dir, f), "x");
    await writeFile(join(dir, "odd.bin"), "x");
    const { files, missing } = await expandInputs([dir, join(dir, "odd.bin"), "https://example.com/x.wav", join(dir, "nope.wav"), join(dir, "empty")]);
    assert.deepEqual(files, [
      join(dir, "a.MP3"), join(dir, "b.wav"), join(dir, "sub", "c.flac"), join(dir, "odd.bin"), "https://example.com/x.wav",
    ]);
    assert.equal(missing.length, 2);
    assert.match(missing[0]!.reason, /no such file/);
    assert.match(missing[1]!.reason, /no audio files/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("no inputs is an error that shows how to call it", async () => {
  await assert.rejects(expandInputs([]), (e: unknown) => e instanceof InvalidArgumentError && /audioclass classify/.test(e.message));
});
