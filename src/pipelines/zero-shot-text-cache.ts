/**
 * Text embeddings of label sets, kept so that classifying many clips against the same labels
 * runs the text tower once. Keyed by the exact list of hypotheses (the set is embedded as one
 * padded batch, as Python does); least recently used sets are dropped beyond `capacity`.
 * Pending computations are shared; failed ones are forgotten.
 */
import type { Tensor } from "../tensor.js";

export class TextEmbeddingCache {
  readonly #entries = new Map<string, Promise<Tensor<"float32">>>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The embeddings of `texts`, computed by `compute` unless cached. */
  get(texts: readonly string[], compute: () => Promise<Tensor<"float32">>): Promise<Tensor<"float32">> {
    const key = JSON.stringify(texts);
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const pending = compute();
    if (this.capacity <= 0) return pending;
    this.#entries.set(key, pending);
    pending.catch(() => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    });
    while (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
    return pending;
  }

  clear(): void {
    this.#entries.clear();
  }
}
