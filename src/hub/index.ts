// Public API of the hub layer: resolving model references, downloading, and the cache verbs.
export { resolveModel, type ResolveModelOptions, type ResolvedModel } from "./resolve-model.js";
export { downloadModel, type DownloadResult } from "./download-model.js";
export { downloadDatasetFiles } from "./download-dataset.js";
export type { HubOptions } from "./hub-options.js";
export { HUB_OPTION_KEYS } from "./hub-options.js";
export type { SnapshotFile } from "./snapshot-files.js";
export { parseModelRef, formatModelRef, isValidRepoId, isCommitHash, type ModelRef } from "./model-ref.js";
export {
  selectModelFiles,
  modelFileSelector,
  selectAllFiles,
  WEIGHT_CANDIDATES,
  TOKENIZER_FILES,
  type FileSelector,
} from "./file-selection.js";
export { listCachedModels, type CacheListing, type CachedModel, type CachedRevision, type ListCacheOptions } from "./cache-scan.js";
export { removeCachedModel, type RemovedModel, type RemoveCachedModelOptions } from "./cache-remove.js";
export { formatDownloadResult, formatCacheListing, formatRemovedModel, type OutputFormat } from "./hub-format.js";
export { hubEnvironment, audioclassCacheDir, DEFAULT_ENDPOINT, DEFAULT_REVISION, type HubEnvironment, type Env } from "./environment.js";
export { repoFolderName, type RepoType } from "./cache-layout.js";
export {
  HubError,
  InvalidModelRefError,
  ModelFolderNotFoundError,
  RepositoryNotFoundError,
  RevisionNotFoundError,
  EntryNotFoundError,
  GatedRepoError,
  HubAuthError,
  HubHttpError,
  HubConnectionError,
  HubTimeoutError,
  HubResponseError,
  DownloadInterruptedError,
  DiskFullError,
  IntegrityError,
  UnsafeFileNameError,
  NotCachedError,
  ModelFilesNotFoundError,
  LockTimeoutError,
  CacheOperationError,
  HubAbortError,
} from "./errors.js";
