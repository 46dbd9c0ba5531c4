/**
 * What one execution came to, as the child process reports it (or the harness, when the child
 * hung, blew its memory bound or died).
 */
export type Outcome =
  /** Returned normally. */
  | { readonly kind: "ok" }
  /** Threw an AudioclassError: the expected way to refuse a bad input. */
  | { readonly kind: "typed-error"; readonly name: string; readonly code: string; readonly message: string }
  /** Threw anything else (TypeError, RangeError, an invariant violation, an unhandled rejection…). */
  | { readonly kind: "untyped-error"; readonly name: string; readonly message: string; readonly stack: string }
  /** Did not finish within the time bound (CPU time, or the wall-clock backstop); the child was killed. */
  | { readonly kind: "timeout"; readonly clock: "cpu" | "wall"; readonly ms: number }
  /** The child's resident memory passed the bound; it was killed. */
  | { readonly kind: "memory"; readonly rssBytes: number }
  /** The child died by itself (V8 heap exhaustion, an abort in native code). */
  | { readonly kind: "crash"; readonly exitCode: number | null; readonly signal: string | null; readonly stderr: string };

export type FindingKind = "untyped-error" | "timeout" | "memory" | "crash";

export function isFinding(outcome: Outcome): outcome is Extract<Outcome, { kind: FindingKind }> {
  return outcome.kind === "untyped-error" || outcome.kind === "timeout" || outcome.kind === "memory" || outcome.kind === "crash";
}

/** Messages from the child process. */
export type ChildMessage =
  | { readonly type: "ready" }
  | { readonly type: "result"; readonly id: number; readonly outcome: Outcome; readonly rssBytes: number };

/** Messages to the child process. */
export interface RunRequest {
  readonly type: "run";
  readonly id: number;
  readonly target: string;
  readonly input: Uint8Array;
}
