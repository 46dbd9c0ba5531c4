/**
 * Reading an input is bounded: FIFOs and devices get a byte cap and an idle timeout (a FIFO with
 * no writer once blocked forever; /dev/zero once read 13 GB), regular files are checked against
 * the cap before they are read, downloads are cut off at it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { AudioDecodeError, AudioSourceError, readAudio, readStreamBytes } from "../../src/audio/index.js";
import { fixturePath } from "../helpers/fixtures.js";

function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-limits-"));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const isSourceError = (pattern: RegExp) => (e: unknown) => e instanceof AudioSourceError && pattern.test(e.message);

test("/dev/zero stops at the byte cap with an AudioSourceError naming it", async () => {
  await assert.rejects(readAudio("/dev/zero", { maxBytes: 4_000_000 }), isSourceError(/\/dev\/zero: it goes on past the 3\.8 MiB audioclass reads from one input/));
});

test("/dev/null is an empty input, not a wait", async () => {
  await assert.rejects(readAudio("/dev/null"), (e: unknown) => e instanceof AudioDecodeError && /empty \(0 bytes\)/.test(e.message));
});

test("a FIFO nobody writes to times out; one whose writer comes late is read whole", () =>
  withTempDir(async (dir) => {
    const fifo = join(dir, "live.fifo");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    await assert.rejects(readAudio(fifo, { readTimeoutMs: 300 }), isSourceError(/no program opened it for writing for 0\.3 s/));
    assert.ok(Date.now() - started < 5000);
    const writer = new Promise<void>((resolve) => {
      setTimeout(() => spawn("sh", ["-c", `cat '${fixturePath("audio/speech_16k.wav")}' > '${fifo}'`]).on("exit", () => resolve()), 200);
    });
    const audio = await readAudio(fifo, { readTimeoutMs: 5000 });
    await writer;
    const direct = await readAudio(fixturePath("audio/speech_16k.wav"));
    assert.deepEqual(audio.channels[0], direct.channels[0]);
  }));

test("a regular file over the cap is refused before it is read", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "big.wav");
    writeFileSync(path, new Uint8Array(3 * 2 ** 20));
    await assert.rejects(readAudio(path, { maxBytes: 2 ** 20 }), isSourceError(/big\.wav: it is 3\.0 MiB, more than the 1\.0 MiB/));
  }));

test("readStreamBytes: whole stream, byte cap, idle timeout", async () => {
  const bytes = await readStreamBytes(Readable.from([new Uint8Array([1, 2]), new Uint8Array([3])]), "stdin");
  assert.deepEqual([...bytes], [1, 2, 3]);
  await assert.rejects(readStreamBytes(Readable.from([new Uint8Array(600), new Uint8Array(600)]), "stdin", { maxBytes: 1000 }), isSourceError(/stdin: it goes on past/));
  const silent = new Readable({ read() {} });
  await assert.rejects(readStreamBytes(silent, "stdin", { idleTimeoutMs: 200 }), isSourceError(/stdin: no data arrived for 0\.2 s/));
  silent.destroy();
});

test("a download larger than the cap is refused (announced, or found while streaming)", async () => {
  const server = createServer((req, res) => {
    if (req.url === "/announced") {
      res.writeHead(200, { "content-length": String(5 * 2 ** 20) });
      res.end(new Uint8Array(5 * 2 ** 20));
    } else {
      res.writeHead(200); // chunked: no length announced
      res.write(new Uint8Array(2 ** 20));
      res.end(new Uint8Array(2 ** 20));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  try {
    await assert.rejects(readAudio(`http://127.0.0.1:${port}/announced`, { maxBytes: 2 ** 20 }), isSourceError(/the server announces 5\.0 MiB/));
    await assert.rejects(readAudio(`http://127.0.0.1:${port}/chunked`, { maxBytes: 2 ** 20 }), isSourceError(/goes on past the 1\.0 MiB/));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
