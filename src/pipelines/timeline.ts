/**
 * Long audio as a timeline: the scores of each window (segments), and events — runs of
 * consecutive windows that say the same thing. With softmax (or raw logits) a window says its
 * top label; with sigmoid (multi-label models) it says every label whose score reaches the
 * threshold, so events of different labels may overlap.
 */
import type { LabelScore } from "./classification-scores.js";

export interface Segment {
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
  predictions: LabelScore[];
}

export interface TimelineEvent {
  label: string;
  start: number;
  end: number;
  /** The highest score of the label over the event's windows. */
  score: number;
}

export interface Timeline {
  segments: Segment[];
  events: TimelineEvent[];
}

export interface EventOptions {
  /** Sigmoid: each label at or above threshold. Softmax / none: the top label. */
  multiLabel: boolean;
  /** Windows whose score of the label is below this say nothing (sigmoid default 0.5). */
  threshold: number;
}

/** Merges consecutive windows into events, in order of start (then label). */
export function timelineEvents(segments: readonly Segment[], options: EventOptions): TimelineEvent[] {
  const open = new Map<string, TimelineEvent>();
  const done: TimelineEvent[] = [];
  for (const segment of segments) {
    const said = options.multiLabel ? segment.predictions.filter((p) => p.score >= options.threshold) : segment.predictions.slice(0, 1).filter((p) => p.score >= options.threshold);
    const now = new Set(said.map((p) => p.label));
    for (const [label, event] of open) {
      if (!now.has(label)) {
        done.push(event);
        open.delete(label);
      }
    }
    for (const p of said) {
      const event = open.get(p.label);
      if (event === undefined) open.set(p.label, { label: p.label, start: segment.start, end: segment.end, score: p.score });
      else {
        event.end = segment.end;
        event.score = Math.max(event.score, p.score);
      }
    }
  }
  done.push(...open.values());
  return done.sort((a, b) => a.start - b.start || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
