/**
 * One entry of a dataset: where the audio is and what it is labelled. Examples are plain data;
 * an AudioDataset adds the label ids, and a BatchLoader does the decoding.
 */
export interface AudioExample {
  /** Absolute path of the audio file. */
  readonly path: string;
  /** The example's labels: exactly one for single-label classification. */
  readonly labels: readonly string[];
  /** The fold or predefined split it belongs to (e.g. ESC-50's "1" … "5"), if any. */
  readonly fold?: string;
  /** Further manifest columns, as text (e.g. ESC-50's "target", "take"). */
  readonly columns?: Readonly<Record<string, string>>;
  /** Length in seconds, known once the file has been decoded (AudioDataset verification). */
  readonly duration?: number;
}
