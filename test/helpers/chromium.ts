/**
 * Whether Debian's Chromium is installed (apt-get install chromium; never downloaded). Tests in a
 * real browser drive it through playwright-core: they run when it is there and skip otherwise, so
 * `npm test` passes on a machine with only Node.js. scripts/run-tests.mjs prints one line for the
 * whole run when it skips them, and fails the run instead under CI.
 */
import { existsSync } from "node:fs";

/** $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH: string = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";

export const chromiumInstalled: boolean = existsSync(CHROMIUM_PATH);

/** The skip reason; scripts/run-tests.mjs counts skips by it, so keep the two in step. */
export const CHROMIUM_SKIP_REASON = "chromium not installed";

/** node:test options for a test that drives Chromium: `test(name, needsChromium, fn)`. */
export const needsChromium: { skip: string | false } = { skip: chromiumInstalled ? false : CHROMIUM_SKIP_REASON };
