/**
 * `hf://datasets/<org>/<name>[@revision][/<config>][?split=<split>]`: a Hugging Face hub dataset
 * as the CLI's --data takes it (the form `datasets` and pandas use for hub paths, plus the
 * config and split load_dataset takes as arguments). A revision with "/" in it is written
 * percent-encoded, as huggingface_hub's HfFileSystem writes it: `@refs%2Fconvert%2Fparquet`.
 */
import { TrainingDataError } from "../errors.js";

export interface HubDatasetRef {
  /** "org/name" (with "@revision" when given). */
  readonly id: string;
  readonly config?: string;
  readonly split?: string;
}

export const HUB_DATASET_PREFIX = "hf://datasets/";

export function isHubDatasetRef(text: string): boolean {
  return text.startsWith(HUB_DATASET_PREFIX);
}

export function parseHubDatasetRef(text: string): HubDatasetRef {
  const example = `${HUB_DATASET_PREFIX}PolyAI/minds14/en-US?split=train`;
  if (!isHubDatasetRef(text)) throw new TrainingDataError(`${JSON.stringify(text)} is not a hub dataset reference; write ${example}`);
  const rest = text.slice(HUB_DATASET_PREFIX.length);
  const query = rest.indexOf("?");
  const path = query < 0 ? rest : rest.slice(0, query);
  const params = new URLSearchParams(query < 0 ? "" : rest.slice(query + 1));
  for (const key of params.keys()) {
    if (key !== "split") throw new TrainingDataError(`${text}: unknown parameter ${JSON.stringify(key)}; only ?split=<name> is understood (e.g. ${example})`);
  }
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length < 2 || parts.length > 3) {
    throw new TrainingDataError(`${text} must name a dataset as ${HUB_DATASET_PREFIX}<org>/<name>, optionally followed by /<config> and ?split=<split> (e.g. ${example})`);
  }
  const split = params.get("split");
  if (split === "") throw new TrainingDataError(`${text}: ?split= names no split; write ?split=train (or test, validation, …)`);
  return { id: `${parts[0]}/${decodeURIComponent(parts[1]!)}`, ...(parts[2] !== undefined && { config: decodeURIComponent(parts[2]) }), ...(split !== null && { split }) };
}
