/**
 * A timeline drawn as a standalone SVG a person reads at a glance: for each input, time runs
 * left to right; one lane per label that has events, a bar per event (darker = higher score,
 * a tooltip with label, span and score), and under the lanes a strip of each window's top label
 * in that label's colour. Labels keep one colour across inputs.
 */
import { escapeXml } from "../util/escape-xml.js";
import type { LabelScore } from "./classification-scores.js";

export interface TimelineDrawing {
  /** The input's name (a file path). */
  name: string;
  segments: ReadonlyArray<{ start: number; end: number; predictions: readonly LabelScore[] }>;
  events: ReadonlyArray<{ label: string; start: number; end: number; score: number }>;
}

/** A categorical palette that stays distinguishable for colour-blind readers (Okabe–Ito, then Tableau). */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC"];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const WIDTH = 960;
const LEFT = 160;
const RIGHT = 24;
const LANE = 20;
const STRIP = 14;

function niceStep(duration: number, ticks: number): number {
  const raw = duration / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function formatTime(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(2))} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return m < 60 ? `${m}:${s.toFixed(0).padStart(2, "0")}` : `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${s.toFixed(0).padStart(2, "0")}`;
}

export function timelineSvg(drawings: readonly TimelineDrawing[], title = "Labels over time"): string {
  const colors = new Map<string, string>();
  const colorOf = (label: string): string => {
    if (!colors.has(label)) colors.set(label, PALETTE[colors.size % PALETTE.length]!);
    return colors.get(label)!;
  };
  const plot = WIDTH - LEFT - RIGHT;
  const parts: string[] = [];
  let y = 40;
  parts.push(`<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold" ${FONT}>${escapeXml(title)}</text>`);
  for (const drawing of drawings) {
    const duration = Math.max(1e-6, ...drawing.segments.map((s) => s.end), ...drawing.events.map((e) => e.end));
    const x = (t: number) => LEFT + (t / duration) * plot;
    const lanes = [...new Set(drawing.events.map((e) => e.label))];
    parts.push(`<text x="${LEFT}" y="${y + 12}" font-size="13" font-weight="bold" ${FONT}>${escapeXml(drawing.name)}</text>`);
    y += 22;
    for (const [i, label] of lanes.entries()) {
      const top = y + i * LANE;
      parts.push(`<text x="${LEFT - 8}" y="${top + LANE / 2 + 4}" text-anchor="end" font-size="12" ${FONT}>${escapeXml(label)}</text>`);
      parts.push(`<line x1="${LEFT}" x2="${LEFT + plot}" y1="${top + LANE / 2}" y2="${top + LANE / 2}" stroke="#e5e5e5"/>`);
      for (const e of drawing.events.filter((ev) => ev.label === label)) {
        const opacity = Math.min(1, Math.max(0.25, e.score)).toFixed(2);
        const tip = `${label}: ${formatTime(e.start)} – ${formatTime(e.end)}, score ${e.score.toFixed(3)}`;
        parts.push(
          `<rect x="${x(e.start).toFixed(1)}" y="${top + 3}" width="${Math.max(1, x(e.end) - x(e.start)).toFixed(1)}" height="${LANE - 6}" rx="2" fill="${colorOf(label)}" fill-opacity="${opacity}"><title>${escapeXml(tip)}</title></rect>`,
        );
      }
    }
    y += lanes.length * LANE + 4;
    parts.push(`<text x="${LEFT - 8}" y="${y + STRIP - 3}" text-anchor="end" font-size="11" fill="#555" ${FONT}>top label</text>`);
    for (const s of drawing.segments) {
      const top = s.predictions[0];
      if (top === undefined) continue;
      parts.push(`<rect x="${x(s.start).toFixed(1)}" y="${y}" width="${Math.max(0.5, x(s.end) - x(s.start)).toFixed(1)}" height="${STRIP}" fill="${colorOf(top.label)}" fill-opacity="0.8"><title>${escapeXml(`${formatTime(s.start)} – ${formatTime(s.end)}: ${top.label} (${top.score.toFixed(3)})`)}</title></rect>`);
    }
    y += STRIP + 6;
    const step = niceStep(duration, 8);
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plot}" y1="${y}" y2="${y}" stroke="#333"/>`);
    for (let t = 0; t <= duration + 1e-9; t += step) {
      parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 4}" stroke="#333"/>`);
      parts.push(`<text x="${x(t).toFixed(1)}" y="${y + 16}" text-anchor="middle" font-size="11" ${FONT}>${formatTime(t)}</text>`);
    }
    y += 34;
  }
  const legend = [...colors.entries()];
  legend.forEach(([label, color], i) => {
    const lx = LEFT + (i % 6) * 130;
    const ly = y + Math.floor(i / 6) * 18;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${color}"/><text x="${lx + 16}" y="${ly + 10}" font-size="11" ${FONT}>${escapeXml(label.length > 18 ? `${label.slice(0, 17)}…` : label)}</text>`);
  });
  const height = y + Math.ceil(legend.length / 6) * 18 + 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}
