/**
 * Parquet files as `datasets`' push_to_hub writes them for an audio dataset: an Audio column as
 * the struct {bytes, path}, a label column (ClassLabel int64 or string), other columns as
 * strings, and optionally the "huggingface" footer metadata with the features. Written with
 * hyparquet-writer (SNAPPY, as pyarrow's default, or GZIP).
 */
import { gzipSync } from "fflate";
import { ByteWriter, parquetWrite } from "hyparquet-writer";

export interface AudioRow {
  /** bytes null: a path-only Audio cell (audio kept outside the parquet file). */
  readonly audio: { readonly bytes: Uint8Array | null; readonly path: string };
  readonly label: number | string;
  readonly text?: string;
}

export interface ParquetDatasetOptions {
  readonly audioColumn?: string;
  readonly labelColumn?: string;
  /** Features for the footer's "huggingface" metadata (datasets' Features.to_dict()). */
  readonly features?: Record<string, unknown>;
  /** Default SNAPPY (pyarrow's default); GZIP to exercise the other codecs' path. */
  readonly codec?: "SNAPPY" | "GZIP";
  /** Rows per row group (default: all in one). */
  readonly rowGroupSize?: number;
}

export function audioParquet(rows: readonly AudioRow[], options: ParquetDatasetOptions = {}): Buffer {
  const audio = options.audioColumn ?? "audio";
  const label = options.labelColumn ?? "label";
  const stringLabels = rows.some((r) => typeof r.label === "string");
  const withText = rows.some((r) => r.text !== undefined);
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: [
      { name: audio, data: rows.map((r) => ({ bytes: r.audio.bytes, path: r.audio.path })) },
      { name: label, data: rows.map((r) => (typeof r.label === "number" ? BigInt(r.label) : r.label)) },
      ...(withText ? [{ name: "transcription", data: rows.map((r) => r.text ?? "") }] : []),
    ],
    schema: [
      { name: "schema", num_children: withText ? 3 : 2 },
      { name: audio, repetition_type: "OPTIONAL", num_children: 2 },
      { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
      { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      stringLabels ? { name: label, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" } : { name: label, type: "INT64", repetition_type: "OPTIONAL" },
      ...(withText ? [{ name: "transcription", type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const }] : []),
    ],
    ...(options.rowGroupSize !== undefined && { rowGroupSize: options.rowGroupSize }),
    ...(options.codec === "GZIP" && { codec: "GZIP" as const, compressors: { GZIP: (input: Uint8Array) => gzipSync(input) } }),
    ...(options.features !== undefined && { kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features: options.features } }) }] }),
  });
  return Buffer.from(writer.getBuffer());
}
