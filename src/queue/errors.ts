/**
 * Errors of the job queue (`audioclass queue`, `audioclass worker`). Each names the Redis URL or
 * queue it concerns and says what would work.
 */
import { AudioclassError } from "../errors.js";

/** Redis cannot be reached (refused, timed out, wrong password) at the URL given. */
export class RedisUnreachableError extends AudioclassError {
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("REDIS_UNREACHABLE", message, options);
  }
}

/** A queue name or Redis URL that cannot be used. */
export class QueueOptionError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("QUEUE_OPTION", message, options);
  }
}

/** Files were added to a queue with other classification settings than the queue was created with. */
export class QueueSettingsMismatchError extends AudioclassError {
  constructor(
    readonly queue: string,
    message: string,
  ) {
    super("QUEUE_SETTINGS_MISMATCH", message);
  }
}

/**
 * A job failed in a way no retry can mend from the queue's side: a job whose worker died more
 * often than allowed (the file may crash the model), or attempts exhausted on a failure that is
 * not an AudioclassError. Its message carries the last reason.
 */
export class JobFailedError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("JOB_FAILED", message, options);
  }
}
