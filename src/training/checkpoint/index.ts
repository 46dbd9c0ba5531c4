// training/checkpoint: Hugging Face model folders (config.json, preprocessor_config.json,
// model.safetensors as transformers writes them), adapting a model to new labels, and training
// checkpoints for resuming (optimizer, scheduler, RNG and Trainer state), all written atomically.
export {
  CheckpointError,
  CheckpointWriteError,
  CheckpointNotFoundError,
  IncompleteCheckpointError,
  CorruptCheckpointError,
  CheckpointContentError,
} from "../checkpoint-errors.js";
export { JsonDocument, type JsonDocumentInput } from "./json-document.js";
export { pythonJsonDumps, pythonFloatRepr, type PythonJsonOptions } from "./python-json.js";
export { classificationHeadFor, classificationModelTypes, type ClassificationHead, type HeadParameter, type HeadInit } from "./classification-heads.js";
export { modelConfigDocument, labelsOf, checkLabels, DEFAULT_TRANSFORMERS_VERSION, type ModelConfigOptions } from "./model-config-json.js";
export {
  saveModelFolder,
  writeModelFiles,
  checkHeadMatchesLabels,
  CONFIG_FILE,
  PREPROCESSOR_CONFIG_FILE,
  WEIGHTS_FILE,
  type ModelFolderContents,
  type ModelWeights,
  type SaveModelFolderOptions,
  type SavedModelFolder,
} from "./model-folder.js";
export { adaptModelToLabels, initializeHeadParameter, type AdaptToLabelsOptions, type AdaptedModel, type NormalSource } from "./adapt-labels.js";
export { createTrainerState, trainerStateJson, parseTrainerState, type TrainerState, type LogEntry } from "./trainer-state.js";
export { listCheckpoints, latestCheckpoint, rotateCheckpoints, checkpointFolderName, CHECKPOINT_PREFIX, type CheckpointFolder, type RotateOptions } from "./checkpoint-folders.js";
export { MANIFEST_FILE } from "./checkpoint-manifest.js";
export { recoverInterruptedFolders, type RecoveryReport } from "./atomic-folder.js";
export {
  saveTrainingCheckpoint,
  loadTrainingCheckpoint,
  RNG_STATE_FILE,
  TRAINER_STATE_FILE,
  TRAINING_ARGS_FILE,
  EXTRA_STATE_FILE,
  type TrainingCheckpointContents,
  type SaveCheckpointOptions,
  type SavedCheckpoint,
  type LoadedCheckpoint,
} from "./training-checkpoint.js";
export { OPTIMIZER_TENSORS_FILE, OPTIMIZER_STATE_FILE, SCHEDULER_STATE_FILE } from "./optimizer-state-files.js";
