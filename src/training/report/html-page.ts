/**
 * The shell of audioclass's HTML reports: one self-contained page (inline CSS, inline SVG, no
 * script, no fonts or images fetched), readable on screen and when printed, plus the table and
 * number formatting the reports share.
 */
import { escapeXml } from "../../util/escape-xml.js";

/** Escapes text for HTML content and attributes (XML's rules are a safe subset). */
export const escapeHtml = escapeXml;

const STYLE = `
  body { font-family: Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fafafa; margin: 0; }
  main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  p.meta { color: #555; margin: 2px 0; font-size: 14px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
  figure { margin: 0; background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 6px; overflow-x: auto; }
  figure svg { display: block; max-width: 100%; height: auto; }
  table { border-collapse: collapse; background: #fff; font-size: 14px; margin: 4px 0 8px; }
  th, td { border: 1px solid #e2e2e2; padding: 4px 10px; text-align: left; }
  th { background: #f0f3f7; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  code { background: #eef1f4; padding: 1px 4px; border-radius: 3px; }
  .note { color: #666; font-size: 13px; }
`;

export function htmlPage(title: string, body: readonly string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body><main>",
    ...body,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}

export type Cell = string | number | null | undefined;

/** A table; numbers (and numeric text such as formatScore's) are right-aligned, numbers formatted with `formatNumber`. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const cell = (c: Cell): string => {
    if (typeof c === "number") return `<td class="num">${escapeHtml(formatNumber(c))}</td>`;
    const text = c ?? "—";
    return /^-?[0-9.]+(e-?[0-9]+)?$/.test(text) ? `<td class="num">${escapeHtml(text)}</td>` : `<td>${escapeHtml(text)}</td>`;
  };
  const body = rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`);
  return `<table>\n${head}\n${body.join("\n")}\n</table>`;
}

/** Four significant decimals for scores, whole numbers as they are, tiny values in e-notation. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e7)) return x.toExponential(3);
  return x.toFixed(4);
}

/** A score (accuracy, F1, loss…) with four decimals, so a column of them lines up. */
export function formatScore(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** An SVG inside a figure, with a caption for screen readers and print. */
export function figure(svg: string, caption?: string): string {
  return `<figure>${svg}${caption ? `<figcaption class="note">${escapeHtml(caption)}</figcaption>` : ""}</figure>`;
}
