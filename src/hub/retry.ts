/**
 * Retrying transient failures (dropped connections, timeouts, 429, 5xx) with exponential backoff,
 * as huggingface_hub's `http_backoff` does. Permanent failures (404, 401, refused connections)
 * surface at once.
 */
import { DownloadInterruptedError, HubAbortError, HubConnectionError, HubHttpError } from "./errors.js";

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** First wait; doubles each time, capped at 8 s (or the server's Retry-After, capped at 30 s). */
  baseDelayMs: number;
  signal?: AbortSignal;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof HubHttpError) return error.retryable;
  if (error instanceof HubConnectionError) return error.retryable;
  return error instanceof DownloadInterruptedError;
}

export async function withRetries<T>(policy: RetryPolicy, attempt: (attemptIndex: number) => Promise<T>): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (index >= policy.retries || !isRetryable(error) || policy.signal?.aborted) throw error;
      await sleep(retryDelayMs(error, index, policy.baseDelayMs), policy.signal);
    }
  }
}

function retryDelayMs(error: unknown, index: number, baseDelayMs: number): number {
  if (error instanceof HubHttpError && error.retryAfterSeconds !== undefined) {
    return Math.min(30_000, error.retryAfterSeconds * 1000);
  }
  return Math.min(8_000, baseDelayMs * 2 ** index);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HubAbortError("Cancelled while waiting to retry.", { cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
