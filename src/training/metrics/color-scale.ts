/**
 * The sequential colour scale of confusion-matrix plots (ColorBrewer "Blues", the matplotlib map
 * scikit-learn's ConfusionMatrixDisplay uses) and a text colour rule: black or white, whichever
 * has the higher WCAG 2 contrast ratio against the cell.
 */

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

const BLUES: readonly Rgb[] = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"].map(parseHex);

function parseHex(hex: string): Rgb {
  const v = Number.parseInt(hex.slice(1), 16);
  return { r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255 };
}

/** The colour at t ∈ [0, 1] (clamped; NaN → 0), interpolated between the scale's stops. */
export function sequentialColor(t: number): Rgb {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (BLUES.length - 1);
  const i = Math.min(Math.floor(x), BLUES.length - 2);
  const f = x - i;
  const a = BLUES[i]!;
  const b = BLUES[i + 1]!;
  return { r: Math.round(a.r + (b.r - a.r) * f), g: Math.round(a.g + (b.g - a.g) * f), b: Math.round(a.b + (b.b - a.b) * f) };
}

export function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** WCAG 2 relative luminance of an sRGB colour. */
export function relativeLuminance({ r, g, b }: Rgb): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio (1 … 21) between two colours. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** "#000000" or "#ffffff", whichever reads better on `background`. */
export function textColorFor(background: Rgb): string {
  return contrastRatio(BLACK, background) >= contrastRatio(WHITE, background) ? "#000000" : "#ffffff";
}
