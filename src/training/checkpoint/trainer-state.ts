/**
 * trainer_state.json with the Hugging Face Trainer's TrainerState fields, written as
 * `TrainerState.save_to_json` writes them (`json.dumps(asdict(state), indent=2, sort_keys=True)`),
 * so Python's `TrainerState.load_from_json` reads our file — it passes every key to the dataclass,
 * which is why nothing outside HF's fields goes in here. Field names stay snake_case: they name a
 * file format.
 */
import { describeValue } from "../../errors.js";
import { CheckpointContentError, CorruptCheckpointError } from "../checkpoint-errors.js";
import { JsonDocument } from "./json-document.js";
import { pythonJsonDumps } from "./python-json.js";

/** One log_history entry: {loss, grad_norm, learning_rate, epoch, step} or {eval_*, epoch, step}… */
export type LogEntry = Readonly<Record<string, number | string | null>>;

export interface TrainerState {
  /** Fractional epoch reached (e.g. 1.5), null before training. */
  readonly epoch: number | null;
  /** Optimizer steps completed. */
  readonly global_step: number;
  readonly max_steps: number;
  readonly logging_steps: number;
  readonly eval_steps: number;
  readonly save_steps: number;
  readonly train_batch_size: number | null;
  readonly num_train_epochs: number;
  readonly num_input_tokens_seen: number;
  readonly total_flos: number;
  readonly log_history: readonly LogEntry[];
  readonly best_metric: number | null;
  readonly best_global_step: number | null;
  /** Path of the best checkpoint folder, as the Trainer records it (`<output_dir>/checkpoint-<step>`). */
  readonly best_model_checkpoint: string | null;
  readonly is_local_process_zero: boolean;
  readonly is_world_process_zero: boolean;
  readonly is_hyper_param_search: boolean;
  readonly trial_name: string | null;
  readonly trial_params: Readonly<Record<string, string | number | boolean>> | null;
  readonly stateful_callbacks: Readonly<Record<string, unknown>>;
}

/** TrainerState's defaults, as the dataclass declares them. */
export function createTrainerState(fields: Partial<TrainerState> = {}): TrainerState {
  return {
    epoch: null,
    global_step: 0,
    max_steps: 0,
    logging_steps: 500,
    eval_steps: 500,
    save_steps: 500,
    train_batch_size: null,
    num_train_epochs: 0,
    num_input_tokens_seen: 0,
    total_flos: 0,
    log_history: [],
    best_metric: null,
    best_global_step: null,
    best_model_checkpoint: null,
    is_local_process_zero: true,
    is_world_process_zero: true,
    is_hyper_param_search: false,
    trial_name: null,
    trial_params: null,
    stateful_callbacks: {},
    ...fields,
  };
}

/** Keys of log entries that are Python ints; every other number the Trainer logs is a float. */
const INT_LOG_KEYS = new Set(["step", "num_input_tokens_seen"]);
const FLOAT_FIELDS = new Set(["/epoch", "/total_flos", "/best_metric"]);

/** Whether the number at `pointer` is a float in the Trainer's file. */
function isFloatField(pointer: string): boolean {
  if (FLOAT_FIELDS.has(pointer)) return true;
  const log = /^\/log_history\/\d+\/([^/]+)$/.exec(pointer);
  return log !== null && !INT_LOG_KEYS.has(log[1].replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The file text, byte-identical to Python's save_to_json for the same state. */
export function trainerStateJson(state: TrainerState): string {
  checkTrainerState(state, "the trainer state", (message) => new CheckpointContentError(message));
  return pythonJsonDumps(state, { isFloat: (pointer) => isFloatField(pointer) }) + "\n";
}

/** Reads trainer_state.json text, checking the fields a resume relies on. */
export function parseTrainerState(text: string, source: string): TrainerState {
  const object = JsonDocument.parse(text, source).toObject();
  const state = createTrainerState(object as Partial<TrainerState>);
  checkTrainerState(state, source, (message) => new CorruptCheckpointError(message, source));
  return state;
}

function checkTrainerState(state: TrainerState, source: string, fail: (message: string) => Error): void {
  const bad = (field: string, want: string, value: unknown) => fail(`${source}: "${field}" must be ${want}, got ${describeValue(value)}`);
  if (state === null || typeof state !== "object") throw fail(`${source}: a trainer state must be an object, got ${describeValue(state)}`);
  for (const field of ["global_step", "max_steps", "logging_steps", "eval_steps", "save_steps", "num_train_epochs", "num_input_tokens_seen"] as const) {
    const v = state[field];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw bad(field, "a whole number ≥ 0", v);
  }
  if (state.epoch !== null && (typeof state.epoch !== "number" || !(state.epoch >= 0))) throw bad("epoch", "a number ≥ 0 or null", state.epoch);
  if (state.best_metric !== null && typeof state.best_metric !== "number") throw bad("best_metric", "a number or null", state.best_metric);
  if (state.best_global_step !== null && (!Number.isSafeInteger(state.best_global_step) || state.best_global_step < 0)) throw bad("best_global_step", "a whole number or null", state.best_global_step);
  if (state.best_model_checkpoint !== null && typeof state.best_model_checkpoint !== "string") throw bad("best_model_checkpoint", "a path or null", state.best_model_checkpoint);
  if (!Array.isArray(state.log_history) || !state.log_history.every((e) => e !== null && typeof e === "object" && !Array.isArray(e))) {
    throw bad("log_history", "a list of objects", state.log_history);
  }
}
