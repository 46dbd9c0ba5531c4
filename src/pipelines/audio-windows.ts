/**
 * Windows over a stream of samples: window k covers [k·hop, k·hop + window) and is handed out
 * as soon as the stream has reached its end, so memory holds about one window whatever the
 * duration. The last window is the first one that reaches the end of the audio (it is then
 * shorter than the others); windows starting after it would only repeat its tail.
 */
export interface AudioWindow {
  /** 0, 1, 2, … */
  readonly index: number;
  /** First sample of the window in the whole audio. */
  readonly startSample: number;
  readonly samples: Float32Array;
}

export async function* slideWindows(chunks: AsyncIterable<Float32Array>, windowSamples: number, hopSamples: number): AsyncGenerator<AudioWindow> {
  // buffer[0] is sample `bufferStart` of the audio; `filled` samples are valid
  let buffer = new Float32Array(Math.max(windowSamples * 2, 1024));
  let bufferStart = 0;
  let filled = 0;
  let index = 0;
  const take = (start: number, end: number): Float32Array => Float32Array.from(buffer.subarray(start - bufferStart, end - bufferStart));

  for await (const chunk of chunks) {
    if (filled + chunk.length > buffer.length) {
      // drop what no window will read again, then grow if still needed
      const keepFrom = Math.min(index * hopSamples, bufferStart + filled) - bufferStart;
      if (keepFrom > 0) {
        buffer.copyWithin(0, keepFrom, filled);
        filled -= keepFrom;
        bufferStart += keepFrom;
      }
      if (filled + chunk.length > buffer.length) {
        const grown = new Float32Array(Math.max(buffer.length * 2, filled + chunk.length));
        grown.set(buffer.subarray(0, filled));
        buffer = grown;
      }
    }
    buffer.set(chunk, filled);
    filled += chunk.length;
    for (;;) {
      const start = index * hopSamples;
      if (start + windowSamples > bufferStart + filled) break;
      yield { index, startSample: start, samples: take(start, start + windowSamples) };
      index++;
    }
  }
  const total = bufferStart + filled;
  const lastEnd = index === 0 ? 0 : (index - 1) * hopSamples + windowSamples;
  if (total === 0 || lastEnd >= total) return;
  for (;;) {
    const start = index * hopSamples;
    if (start >= total) return; // a hop longer than the window can step past the end
    const end = Math.min(total, start + windowSamples);
    yield { index, startSample: start, samples: take(start, end) };
    index++;
    if (end >= total) return;
  }
}
