import { atomicWriteFile, openByteSource, type OpenFileOptions, readWholeFileSync } from "./file-io.js";
import { MemoryByteSource } from "./byte-source.js";
import { layoutSafetensors, type TensorDict } from "./safetensors-encode.js";
import { SafetensorsFile } from "./safetensors-file.js";

/**
 * Saves tensors as a safetensors file that Python's `safetensors`/`transformers` load unchanged
 * (same layout as `save_file`; `{"format": "pt"}` added to the metadata when absent). The write is
 * atomic: temp file, fsync, rename. Inputs are written straight from their buffers, never concatenated.
 */
export async function saveSafetensors(path: string, tensors: TensorDict, metadata?: Readonly<Record<string, string>>): Promise<void> {
  const layout = layoutSafetensors(tensors, metadata);
  await atomicWriteFile(path, [layout.header, ...layout.chunks]);
}

/** Opens a safetensors file: read into memory once (or lazily through a handle when huge). */
export async function readSafetensors(path: string, options: OpenFileOptions = {}): Promise<SafetensorsFile> {
  return new SafetensorsFile(await openByteSource(path, options));
}

export function readSafetensorsSync(path: string): SafetensorsFile {
  return new SafetensorsFile(new MemoryByteSource(readWholeFileSync(path), path));
}
