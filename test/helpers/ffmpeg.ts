/**
 * Whether the ffmpeg program is on PATH. Tests of the ffmpeg decoder path itself need it: they
 * run when it is there and are skipped otherwise, so `npm test` passes on a machine with only
 * Node.js. scripts/run-tests.mjs prints one line for the whole run when it skips them, and fails
 * the run instead under CI. (Comparisons of our own decoders with ffmpeg's output use golden
 * decodes, test/fixtures/audio/ffmpeg-goldens/, and run everywhere.)
 */
import { spawnSync } from "node:child_process";

export const ffmpegOnPath: boolean = (() => {
  const probe = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
})();

/** The skip reason; scripts/run-tests.mjs counts skips by it, so keep the two in step. */
export const FFMPEG_SKIP_REASON = "ffmpeg not found on PATH";

/** node:test options for a test that runs ffmpeg: `test(name, needsFfmpeg, fn)`. */
export const needsFfmpeg: { skip: string | false } = { skip: ffmpegOnPath ? false : FFMPEG_SKIP_REASON };
