/** Options shared by `audioclass queue …` and `audioclass worker`: which Redis, which queue. */
import { checkQueueName } from "../queue/queue-keys.js";
import { DEFAULT_REDIS_URL } from "../queue/redis-connection.js";
import type { CliIO } from "./cli-io.js";
import { stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";

/** The queue name when --queue is not given. */
export const DEFAULT_QUEUE_NAME = "audioclass";

export const QUEUE_OPTION_SPEC: OptionSpec = {
  redis: { type: "string" },
  queue: { type: "string" },
};

export const QUEUE_OPTION_HELP = `  --redis URL           the Redis every machine shares (default: $AUDIOCLASS_REDIS_URL, else
                        ${DEFAULT_REDIS_URL}); rediss:// for TLS, redis://user:pass@host:6379/0
  --queue NAME          the queue (default ${DEFAULT_QUEUE_NAME}); one queue holds one model configuration`;

export interface QueueTarget {
  url: string;
  queue: string;
}

export function queueTarget(values: ParsedCommand["values"], io: CliIO): QueueTarget {
  const url = stringOption(values, "redis") ?? io.env["AUDIOCLASS_REDIS_URL"] ?? DEFAULT_REDIS_URL;
  return { url, queue: checkQueueName(stringOption(values, "queue") ?? DEFAULT_QUEUE_NAME) };
}
