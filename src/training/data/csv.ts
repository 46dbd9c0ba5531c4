/**
 * A CSV reader for manifests (RFC 4180 plus what spreadsheets and Python's csv module write):
 * fields separated by a delimiter, optionally quoted with "…" where "" is a literal quote and
 * delimiters and line breaks are data; LF, CRLF or CR line endings; a leading UTF-8 BOM is
 * dropped; blank lines are skipped. Like Python's csv reader, text after a closing quote is kept
 * literally ("ab"c → abc).
 */
import { TrainingDataError } from "../errors.js";

export interface CsvRow {
  /** 1-based line number where the row starts (for error messages). */
  readonly line: number;
  readonly fields: string[];
}

export function parseCsv(text: string, source: string, delimiter = ","): CsvRow[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TrainingDataError(`CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = "";
  let rowLine = 1;
  let rowHasContent = false;
  const endRow = (): void => {
    fields.push(field);
    if (rowHasContent || fields.length > 1 || field !== "") rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
    rowHasContent = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "" && !rowHasContentSinceDelimiter(text, i, delimiter)) {
      // quoted field
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new TrainingDataError(`${source}: line ${quoteLine} opens a quoted field that is never closed; close it with "`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n" || (q === "\r" && text[i + 1] !== "\n")) line++;
        field += q;
        i++;
      }
      rowHasContent = true;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = "";
      rowHasContent = true;
      i++;
      continue;
    }
    if (c === "\n" || c === "\r") {
      endRow();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== "" || fields.length > 0 || rowHasContent) endRow();
  return rows;
}

/** True when the current field already has characters before position i (a quote mid-field is literal). */
function rowHasContentSinceDelimiter(text: string, i: number, delimiter: string): boolean {
  if (i === 0) return false;
  const prev = text[i - 1]!;
  return !(prev === delimiter || prev === "\n" || prev === "\r" || (i === 1 && text.charCodeAt(0) === 0xfeff));
}
