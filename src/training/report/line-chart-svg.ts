/**
 * A line chart as a standalone SVG: a title, a y axis with a unit-bearing label and nice ticks,
 * an x axis ("step" for training curves), light grid lines, one coloured line per series with
 * its points marked (few points — evaluations — stay visible), a legend when there are several
 * series, and a tooltip per point. Pure text output, so a report needs no script or network.
 */
import { escapeXml } from "../../util/escape-xml.js";
import { axisScale, formatTick, logAxisScale } from "./axis-scale.js";

export interface ChartSeries {
  readonly name: string;
  /** [x, y] pairs; non-finite y values are left out. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Fixed y range (e.g. [0, 1] for accuracy); default fitted to the data. */
  readonly yRange?: readonly [number, number];
  /** Logarithmic y axis (used only when every value is > 0), for quantities spanning decades such as gradient norms. */
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Colour-blind-safe categorical colours (Okabe–Ito). */
export const SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

const FONT = 'font-family="Helvetica, Arial, sans-serif"';

const fix = (x: number): string => String(Math.round(x * 10) / 10);

export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const series = options.series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xScale = axisScale(xs.length ? Math.min(0, ...xs) : 0, xs.length ? Math.max(...xs) : 1, 6);
  const logY = options.logY === true && ys.length > 0 && ys.every((y) => y > 0);
  const yScale = logY
    ? logAxisScale(Math.min(...ys), Math.max(...ys))
    : options.yRange
      ? axisScale(options.yRange[0], options.yRange[1], 6)
      : axisScale(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const ty = (y: number): number => (logY ? Math.log10(y) : y);
  const yTickTexts = yScale.ticks.map(formatTick);
  const left = 28 + Math.max(...yTickTexts.map((t) => t.length)) * 6.6 + 8;
  const legendRows = series.length > 1 ? 1 : 0;
  const top = 34 + legendRows * 18;
  const right = 16;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const px = (x: number): number => left + ((x - xScale.min) / (xScale.max - xScale.min)) * plotW;
  const py = (y: number): number => top + plotH - ((ty(y) - ty(yScale.min)) / (ty(yScale.max) - ty(yScale.min))) * plotH;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${fix(width / 2)}" y="20" text-anchor="middle" ${FONT} font-size="15" font-weight="bold" fill="#111111">${escapeXml(options.title)}</text>`,
  ];
  // grid and ticks
  parts.push(`<g ${FONT} font-size="11" fill="#333333">`);
  yScale.ticks.forEach((t, k) => {
    const y = py(t);
    parts.push(`<line x1="${fix(left)}" x2="${fix(left + plotW)}" y1="${fix(y)}" y2="${fix(y)}" stroke="#e3e3e3" stroke-width="1"/>`);
    parts.push(`<text x="${fix(left - 6)}" y="${fix(y)}" text-anchor="end" dominant-baseline="central">${escapeXml(yTickTexts[k]!)}</text>`);
  });
  for (const t of xScale.ticks) {
    const x = px(t);
    parts.push(`<line x1="${fix(x)}" x2="${fix(x)}" y1="${fix(top)}" y2="${fix(top + plotH)}" stroke="#efefef" stroke-width="1"/>`);
    parts.push(`<text x="${fix(x)}" y="${fix(top + plotH + 16)}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  }
  parts.push(`</g>`);
  parts.push(`<rect x="${fix(left)}" y="${fix(top)}" width="${fix(plotW)}" height="${fix(plotH)}" fill="none" stroke="#555555" stroke-width="1"/>`);
  // axis titles
  parts.push(
    `<text x="${fix(left + plotW / 2)}" y="${fix(height - 10)}" text-anchor="middle" ${FONT} font-size="12" fill="#111111">${escapeXml(options.xLabel)}</text>`,
    `<text x="14" y="${fix(top + plotH / 2)}" text-anchor="middle" ${FONT} font-size="12" fill="#111111" transform="rotate(-90 14 ${fix(top + plotH / 2)})">${escapeXml(options.yLabel)}</text>`,
  );
  // series
  series.forEach((s, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    if (s.points.length > 1) {
      const path = s.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${fix(px(x))} ${fix(py(y))}`).join(" ");
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    }
    const radius = s.points.length > 60 ? 1.5 : 3;
    parts.push(`<g fill="${color}">`);
    for (const [x, y] of s.points) {
      parts.push(`<circle cx="${fix(px(x))}" cy="${fix(py(y))}" r="${radius}"><title>${escapeXml(`${s.name} at ${options.xLabel} ${formatTick(x)}: ${formatTick(y)}`)}</title></circle>`);
    }
    parts.push(`</g>`);
  });
  // legend, one row under the title
  if (legendRows > 0) {
    let x = left;
    parts.push(`<g ${FONT} font-size="12" fill="#222222">`);
    series.forEach((s, k) => {
      const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
      parts.push(`<line x1="${fix(x)}" x2="${fix(x + 18)}" y1="38" y2="38" stroke="${color}" stroke-width="3"/>`);
      parts.push(`<text x="${fix(x + 24)}" y="38" dominant-baseline="central">${escapeXml(s.name)}</text>`);
      x += 24 + s.name.length * 7 + 18;
    });
    parts.push(`</g>`);
  }
  if (all.length === 0) {
    parts.push(`<text x="${fix(left + plotW / 2)}" y="${fix(top + plotH / 2)}" text-anchor="middle" ${FONT} font-size="13" fill="#777777">no data yet</text>`);
  }
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}
