// queue/: the Redis-backed job queue (BullMQ) behind `audioclass queue` and `audioclass worker`,
// for programs that add files or run workers themselves.
export { JobQueue, type ClassifyJobData } from "./job-queue.js";
export { enqueueFiles, ENQUEUE_DEFAULTS, type EnqueueCounts, type EnqueueOptions } from "./enqueue-files.js";
export { enqueueBytes, MAX_QUEUED_BYTES, type NamedAudio } from "./enqueue-bytes.js";
export { QueueWorker, WORKER_DEFAULTS, type JobOutcome, type QueueWorkerOptions } from "./queue-worker.js";
export { normalizeSettings, describeSettings, type QueueSettings, type QueueSettingsInput, type RecordMode } from "./queue-settings.js";
export { ResultStore, type StoredRecord } from "./result-store.js";
export { DEFAULT_REDIS_URL, redisSetupWarnings } from "./redis-connection.js";
export { JobFailedError, QueueOptionError, QueueSettingsMismatchError, RedisUnreachableError } from "./errors.js";
