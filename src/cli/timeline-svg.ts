/** `--timeline out.svg`: the windows and events of every input drawn into one SVG, written atomically. */
import { rename, writeFile } from "node:fs/promises";
import { timelineSvg } from "../pipelines/timeline-svg.js";
import type { LabelEvent, WindowScores } from "./output-format.js";

export interface TimelineOfFile {
  file: string;
  segments: readonly WindowScores[];
  events: readonly LabelEvent[];
}

export async function writeTimelineSvg(path: string, timelines: readonly TimelineOfFile[]): Promise<void> {
  const svg = timelineSvg(timelines.map((t) => ({ name: t.file, segments: t.segments, events: t.events })));
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, svg);
  await rename(temp, path);
}
