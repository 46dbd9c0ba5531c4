/**
 * The demo page's script (dist/web/demo.js, built by scripts/build-browser.mjs; the page is
 * src/web/index.html). It uses audioclass only through the browser entry, as any page would:
 * pick a model (the bundled default served next to the page, or a hub id), pick or drop a clip or
 * classify the example, and see the top labels as bars. Candidate labels switch to zero-shot
 * classification (CLAP models).
 */
// The build keeps this import as "./audioclass.js": the page loads the library's bundle itself.
import * as audioclass from "../browser.js";
import { recordMicrophone } from "./microphone.js";
import { renderScores } from "./score-bars.js";

type Audioclass = typeof audioclass;

/** The bundled default model and its example clip, copied next to the page by the build. */
const LOCAL_MODEL = "./models/default/";
const EXAMPLE_CLIP = "./models/default/example.wav";
const TOP_K = 5;
/** Seconds recorded from the microphone per classification. */
const RECORD_SECONDS = 2;

/** Encoded bytes of a file, or samples recorded at a rate (resampled by the pipeline). */
type ClipInput = Uint8Array | { samplingRate: number; raw: Float32Array };
type Classifier = (input: ClipInput, options: Record<string, unknown>) => Promise<readonly { label: string; score: number }[]>;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the demo page has no #${id}`);
  return found as T;
}

export function startDemo(api: Audioclass): void {
  const model = element<HTMLInputElement>("model");
  const labels = element<HTMLInputElement>("labels");
  const file = element<HTMLInputElement>("file");
  const drop = element<HTMLElement>("drop");
  const example = element<HTMLButtonElement>("example");
  const record = element<HTMLButtonElement>("record");
  const status = element<HTMLElement>("status");
  const results = element<HTMLOListElement>("results");
  const loaded = new Map<string, Promise<Classifier>>();

  const classifierFor = (ref: string, zeroShot: boolean): Promise<Classifier> => {
    const key = `${zeroShot ? "zs" : "ac"}|${ref}`;
    let entry = loaded.get(key);
    if (entry === undefined) {
      entry = (zeroShot ? api.pipeline("zero-shot-audio-classification", ref) : api.pipeline("audio-classification", ref)) as unknown as Promise<Classifier>;
      entry.catch(() => loaded.delete(key)); // a failed load is retried next time
      loaded.set(key, entry);
    }
    return entry;
  };

  const classify = async (bytes: ClipInput, name: string): Promise<void> => {
    const ref = model.value.trim() || LOCAL_MODEL;
    const candidates = labels.value.split(",").map((l) => l.trim()).filter((l) => l.length > 0);
    document.body.dataset["state"] = "busy";
    status.textContent = `Loading ${ref}…`;
    try {
      const t0 = performance.now();
      const run = await classifierFor(ref, candidates.length > 0);
      const t1 = performance.now();
      status.textContent = `Classifying ${name}…`;
      const scores = await run(bytes, candidates.length > 0 ? { candidateLabels: candidates, topK: TOP_K } : { topK: TOP_K });
      const t2 = performance.now();
      renderScores(results, scores);
      status.textContent = `${name}: "${scores[0]?.label}" — model ready in ${(t1 - t0).toFixed(0)} ms, classified in ${(t2 - t1).toFixed(0)} ms`;
      document.body.dataset["state"] = "done";
    } catch (error) {
      status.textContent = `Could not classify ${name}: ${(error as Error).message}`;
      document.body.dataset["state"] = "error";
    }
  };

  const classifyFile = async (picked: File | undefined): Promise<void> => {
    if (picked !== undefined) await classify(new Uint8Array(await picked.arrayBuffer()), picked.name);
  };

  example.addEventListener("click", async () => {
    const response = await fetch(EXAMPLE_CLIP);
    await classify(new Uint8Array(await response.arrayBuffer()), "example.wav");
  });
  record.addEventListener("click", async () => {
    record.disabled = true;
    document.body.dataset["state"] = "busy";
    status.textContent = `Recording ${RECORD_SECONDS} s from the microphone…`;
    try {
      const recording = await recordMicrophone(RECORD_SECONDS);
      await classify(recording, `${RECORD_SECONDS} s from the microphone`);
    } catch (error) {
      status.textContent = `Could not record: ${(error as Error).message}`;
      document.body.dataset["state"] = "error";
    } finally {
      record.disabled = false;
    }
  });
  file.addEventListener("change", () => void classifyFile(file.files?.[0]));
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    void classifyFile(event.dataTransfer?.files[0]);
  });
  model.placeholder = LOCAL_MODEL;
  document.body.dataset["state"] = "ready";
  status.textContent = "Ready: pick or drop a clip, or classify the example.";
}

startDemo(audioclass);
