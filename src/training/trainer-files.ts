/**
 * The files a finished run leaves next to the model, as the Trainer and the example scripts
 * write them: trainer_state.json (save_state), train_results.json / eval_results.json /
 * all_results.json (save_metrics: json.dumps(indent=4, sort_keys=True)). Each is written to a
 * temporary file and renamed, so a reader never sees half a file.
 */
import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { pythonJsonDumps, trainerStateJson, type TrainerState } from "./checkpoint/index.js";

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

export async function writeTrainerState(outputDir: string, state: TrainerState): Promise<void> {
  await writeAtomic(join(outputDir, "trainer_state.json"), trainerStateJson(state));
}

/** `trainer.save_metrics(split, metrics)`: <split>_results.json, merged into all_results.json. */
export async function saveMetrics(outputDir: string, split: "train" | "eval", metrics: Readonly<Record<string, number>>): Promise<void> {
  // Every metric is a float in Python except the example counts (train_samples, eval_samples).
  const dump = (value: unknown): string => pythonJsonDumps(value, { isFloat: (pointer) => !pointer.endsWith("_samples") }, 4) + "\n";
  await writeAtomic(join(outputDir, `${split}_results.json`), dump(metrics));
  const allPath = join(outputDir, "all_results.json");
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(await readFile(allPath, "utf8")) as Record<string, unknown>;
  } catch {
    all = {};
  }
  await writeAtomic(allPath, dump({ ...all, ...metrics }));
}
