/**
 * What a fuzz target is: a parser a user's file reaches, fed bytes through its public entry
 * point. The invariant the harness checks for every input: the call returns, or throws an
 * AudioclassError — never another exception, never a hang, never unbounded memory.
 */
import type { FuzzRandom } from "./random.js";

export interface Seed {
  /** Where the seed came from (a fixture path, or a description of a built input). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A per-process scratch folder for targets whose entry point reads files. */
export interface TargetContext {
  readonly scratchDir: string;
}

export interface FuzzTarget {
  readonly name: string;
  /** One line for --list: what is parsed and through which entry point. */
  readonly description: string;
  /** Starting inputs: fixtures of the repository and /work/shared/fixtures, or inputs built here. */
  seeds(): Seed[];
  /** Runs one input through the entry point; throws whatever the code under test throws. */
  run(input: Uint8Array, context: TargetContext): Promise<void>;
  /**
   * A format-aware mutation (returns undefined when it does not apply); the harness mixes it with
   * the byte mutations.
   */
  mutate?(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined;
  /** Share of inputs given to `mutate` rather than the byte mutations (default 0.5). */
  readonly structuredShare?: number;
}
