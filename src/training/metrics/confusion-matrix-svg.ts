/**
 * A confusion matrix as a standalone SVG a person can read: rows are true classes ("true label",
 * left), columns predictions ("predicted label", below), each cell coloured on a sequential
 * blue scale and labelled with its count (or fraction when normalised) in black or white,
 * whichever contrasts better; a title, a colour bar, and a tooltip per cell. Cell and font
 * sizes follow the number of classes so that 2 to 50 classes fit (beyond that cells keep a
 * minimum size and the image grows). Column names are rotated 45° when they are wider than a
 * cell; very long names are shortened with "…" (the tooltip keeps them whole).
 */
import { describeValue } from "../../errors.js";
import { escapeXml } from "../../util/escape-xml.js";
import { MetricError } from "../errors.js";
import { normalizeMatrix } from "./confusion-matrix.js";
import { sequentialColor, textColorFor, toHex } from "./color-scale.js";

export interface ConfusionMatrixSvgOptions {
  /** Heading above the plot. Default "Confusion matrix". */
  title?: string;
  /**
   * Show fractions instead of counts: true or "true" (each row sums to 1 — per-class recall on
   * the diagonal), "pred" (columns sum to 1 — precision), "all". Default false.
   */
  normalize?: boolean | "true" | "pred" | "all";
}

const FONT = "font-family=\"Helvetica, Arial, sans-serif\"";
const MAX_LABEL_CHARS = 28;
/** Average glyph width as a fraction of the font size (sans-serif, conservative). */
const CHAR_WIDTH = 0.6;


function shorten(label: string): string {
  const chars = [...label];
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join("")}…` : label;
}

function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * CHAR_WIDTH;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function formatValue(v: number, normalized: boolean): string {
  if (normalized) return v.toFixed(2);
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function checkInputs(matrix: unknown, labels: unknown): void {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== "string")) {
    throw new MetricError(`confusionMatrixSvg needs labels as a non-empty array of class names, got ${describeValue(labels)}`);
  }
  const n = labels.length;
  if (!Array.isArray(matrix) || matrix.length !== n) {
    throw new MetricError(`confusionMatrixSvg needs an ${n}×${n} matrix (one row per label), got ${describeValue(matrix)}`);
  }
  matrix.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== n) throw new MetricError(`row ${i} of the matrix must have ${n} entries (one per label), got ${describeValue(row)}`);
    row.forEach((v: unknown, j) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new MetricError(`matrix[${i}][${j}] is ${describeValue(v)}; entries must be finite numbers ≥ 0`);
    });
  });
}

/** The SVG document (a string starting with <svg). */
export function confusionMatrixSvg(matrix: readonly (readonly number[])[], labels: readonly string[], options: ConfusionMatrixSvgOptions = {}): string {
  checkInputs(matrix, labels);
  const n = labels.length;
  const mode = options.normalize === true ? "true" : options.normalize === false || options.normalize === undefined ? undefined : options.normalize;
  if (mode !== undefined && mode !== "true" && mode !== "pred" && mode !== "all") {
    throw new MetricError(`normalize must be true, false, "true", "pred" or "all", got ${describeValue(options.normalize)}`);
  }
  const title = options.title ?? "Confusion matrix";
  const values = mode === undefined ? matrix.map((r) => [...r]) : normalizeMatrix(matrix, mode);
  const vmax = Math.max(0, ...values.flat());

  // geometry
  const cell = clamp(Math.floor(600 / n), 16, 64);
  const labelFont = clamp(Math.round(cell * 0.45), 9, 13);
  const shown = labels.map(shorten);
  const widest = Math.max(...shown.map((l) => textWidth(l, labelFont)));
  const rotate = widest > cell - 4;
  const axisFont = 13;
  const titleFont = 16;
  const left = 12 + axisFont + 10 + widest + 8;
  const top = 16 + titleFont + 16;
  const size = cell * n;
  const xLabelBand = rotate ? widest * Math.SQRT1_2 + labelFont + 8 : labelFont + 10;
  const barWidth = 14;
  const barGap = 16;
  // counts get whole-number ticks; each tick sits at its value's place on the bar
  const counts = mode === undefined && values.every((r) => r.every(Number.isInteger));
  const tickValues = [...new Set([0, counts ? Math.round(vmax / 2) : vmax / 2, vmax])];
  const tickTexts = tickValues.map((v) => formatValue(v, mode !== undefined));
  const right = barGap + barWidth + 6 + Math.max(...tickTexts.map((t) => textWidth(t, 11))) + 12;
  const width = Math.ceil(left + size + right);
  const height = Math.ceil(top + size + xLabelBand + axisFont + 18);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${round(left + size / 2)}" y="${16 + titleFont}" text-anchor="middle" ${FONT} font-size="${titleFont}" font-weight="bold">${escapeXml(title)}</text>`,
  );

  // cells
  const valueFontBase = clamp(cell * 0.4, 6, 16);
  parts.push(`<g ${FONT} text-anchor="middle">`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i]![j]!;
      const color = sequentialColor(vmax > 0 ? v / vmax : 0);
      const x = left + j * cell;
      const y = top + i * cell;
      const text = formatValue(v, mode !== undefined);
      const font = Math.min(valueFontBase, (cell - 4) / Math.max(1, [...text].length * CHAR_WIDTH));
      const tip = `true: ${labels[i]}, predicted: ${labels[j]} — ${matrix[i]![j]}${mode === undefined ? "" : ` (${text})`}`;
      parts.push(
        `<g><title>${escapeXml(tip)}</title>` +
          `<rect x="${round(x)}" y="${round(y)}" width="${cell}" height="${cell}" fill="${toHex(color)}" stroke="#ffffff" stroke-width="1"/>` +
          `<text x="${round(x + cell / 2)}" y="${round(y + cell / 2)}" dominant-baseline="central" font-size="${round(font)}" fill="${textColorFor(color)}">${escapeXml(text)}</text></g>`,
      );
    }
  }
  parts.push(`</g>`, `<rect x="${round(left)}" y="${round(top)}" width="${size}" height="${size}" fill="none" stroke="#444444" stroke-width="1"/>`);

  // row labels (true classes), right-aligned to the left of the matrix
  parts.push(`<g ${FONT} font-size="${labelFont}" fill="#222222">`);
  shown.forEach((label, i) => {
    parts.push(`<text x="${round(left - 6)}" y="${round(top + i * cell + cell / 2)}" text-anchor="end" dominant-baseline="central">${escapeXml(label)}</text>`);
  });
  // column labels (predictions), below the matrix, rotated when too wide
  shown.forEach((label, j) => {
    const cx = left + j * cell + cell / 2;
    const y = top + size + 6;
    if (rotate) {
      parts.push(`<text x="${round(cx)}" y="${round(y + labelFont * 0.7)}" text-anchor="end" transform="rotate(-45 ${round(cx)} ${round(y + labelFont * 0.7)})">${escapeXml(label)}</text>`);
    } else {
      parts.push(`<text x="${round(cx)}" y="${round(y + labelFont)}" text-anchor="middle">${escapeXml(label)}</text>`);
    }
  });
  parts.push(`</g>`);

  // axis titles
  const xTitleY = top + size + xLabelBand + axisFont + 4;
  parts.push(
    `<text x="${round(left + size / 2)}" y="${round(xTitleY)}" text-anchor="middle" ${FONT} font-size="${axisFont}" fill="#000000">predicted label</text>`,
    `<text x="${12 + axisFont}" y="${round(top + size / 2)}" text-anchor="middle" ${FONT} font-size="${axisFont}" fill="#000000" transform="rotate(-90 ${12 + axisFont} ${round(top + size / 2)})">true label</text>`,
  );

  // colour bar: a vertical gradient, dark (max) at the top
  const barX = left + size + barGap;
  const stops = Array.from({ length: 9 }, (_, k) => `<stop offset="${k / 8}" stop-color="${toHex(sequentialColor(1 - k / 8))}"/>`).join("");
  parts.push(
    `<defs><linearGradient id="cm-scale" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`,
    `<rect x="${round(barX)}" y="${round(top)}" width="${barWidth}" height="${size}" fill="url(#cm-scale)" stroke="#444444" stroke-width="1"/>`,
    `<g ${FONT} font-size="11" fill="#222222">`,
  );
  tickTexts.forEach((t, k) => {
    const y = top + size - (vmax > 0 ? tickValues[k]! / vmax : 0) * size;
    parts.push(`<text x="${round(barX + barWidth + 6)}" y="${round(y)}" dominant-baseline="central">${escapeXml(t)}</text>`);
  });
  parts.push(`</g>`, `</svg>`);
  return parts.join("\n") + "\n";
}
