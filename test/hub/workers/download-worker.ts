/**
 * Child process for the concurrency test: downloads argv[2] with settings from the environment
 * (HF_ENDPOINT, HF_HUB_CACHE), like a user's second terminal would, and prints the result.
 */
import { downloadModel } from "../../../src/hub/index.js";

const id = process.argv[2];
if (id === undefined) throw new Error("usage: download-worker.ts <model id>");
const result = await downloadModel(id, { retryDelayMs: 20 });
process.stdout.write(JSON.stringify({ dir: result.dir, files: result.files.map((f) => ({ name: f.name, downloaded: f.downloaded })) }) + "\n");
