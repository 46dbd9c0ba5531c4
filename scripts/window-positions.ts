// Where a clip sits inside a model's input window, for measuring how a classifier copes with
// words that do not start where its window starts (scripts/evaluate-default.ts).

/** start: at the window's start; 100ms: 100 ms in; centred; end: ending at the window's end. */
export const WINDOW_POSITIONS = ["start", "100ms", "centred", "end"] as const;
export type WindowPosition = (typeof WINDOW_POSITIONS)[number];

/**
 * The clip's first sample's index in the window (negative: its beginning is cut off). A clip
 * longer than the window keeps its start for "start" and "100ms" (the end is cut), its middle
 * for "centred" and its end for "end".
 */
export function windowOffset(position: WindowPosition, clipLength: number, windowLength: number, sampleRate: number): number {
  if (!Number.isInteger(clipLength) || clipLength < 0 || !Number.isInteger(windowLength) || windowLength <= 0) {
    throw new RangeError(`windowOffset: clip and window lengths must be whole numbers of samples (window > 0), got ${clipLength} and ${windowLength}`);
  }
  switch (position) {
    case "start":
      return 0;
    case "100ms":
      return Math.round(0.1 * sampleRate);
    case "centred":
      return Math.floor((windowLength - clipLength) / 2);
    case "end":
      return windowLength - clipLength;
  }
}
