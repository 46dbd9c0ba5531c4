/**
 * A progress bar for stderr, shared by downloads, the CLI and training.
 *
 * On an interactive terminal it redraws one line in place (throttled); when stderr is a file, a
 * pipe or CI (CI=true, TERM=dumb) it prints an occasional plain line instead, so logs stay
 * readable; `quiet` prints nothing. Output never goes to stdout, which belongs to results.
 */

/** The part of a stream the bar uses (process.stderr fits; tests pass a fake). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** What is progressing, shown first (e.g. a file name). */
  label: string;
  /** Units expected in total; leave undefined when unknown (no percentage, no ETA). */
  total?: number;
  /** "bytes" formats amounts as kB/MB/GB and rates as MB/s. Default "items". */
  unit?: "bytes" | "items";
  /** Units already done before this run (a resumed download): counted in position, not in rate. */
  initial?: number;
  quiet?: boolean;
  stream?: ProgressStream;
  /** Overrides TTY detection (default: stream.isTTY, and not under CI or TERM=dumb). */
  interactive?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** Minimum time between redraws on a terminal. Default 100 ms. */
  redrawIntervalMs?: number;
  /** Minimum time between plain lines when not interactive. Default 30 s. */
  logIntervalMs?: number;
  /** Clock in ms, for tests. Default Date.now. */
  now?: () => number;
}

export interface ProgressBar {
  readonly current: number;
  readonly total: number | undefined;
  /** Adds `delta` units. */
  increment(delta: number): void;
  /** Sets the absolute position. */
  update(current: number): void;
  setTotal(total: number | undefined): void;
  /** Completes the bar and prints the final line: amount done, time taken, average rate. */
  finish(note?: string): void;
  /** Ends the bar after a failure, leaving the terminal line clean. */
  fail(note?: string): void;
}

const RATE_WINDOW_MS = 5_000;

/** Whether to redraw in place: a TTY, not CI, not a dumb terminal. */
export function isInteractive(stream: ProgressStream, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (!stream.isTTY) return false;
  if (env.CI !== undefined && env.CI !== "" && env.CI.toLowerCase() !== "false" && env.CI !== "0") return false;
  return env.TERM !== "dumb";
}

export function createProgressBar(options: ProgressOptions): ProgressBar {
  return new StreamProgressBar(options);
}

class StreamProgressBar implements ProgressBar {
  current: number;
  total: number | undefined;
  private readonly label: string;
  private readonly unit: "bytes" | "items";
  private readonly initial: number;
  private readonly stream: ProgressStream;
  private readonly mode: "tty" | "plain" | "quiet";
  private readonly redrawIntervalMs: number;
  private readonly logIntervalMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastDrawAt = -Infinity;
  private lastLogAt: number;
  private drawnWidth = 0;
  private done = false;
  private samples: Array<{ t: number; value: number }> = [];

  constructor(options: ProgressOptions) {
    this.label = options.label;
    this.unit = options.unit ?? "items";
    this.initial = options.initial ?? 0;
    this.current = this.initial;
    this.total = options.total;
    this.stream = options.stream ?? process.stderr;
    const interactive = options.interactive ?? isInteractive(this.stream, options.env);
    this.mode = options.quiet ? "quiet" : interactive ? "tty" : "plain";
    this.redrawIntervalMs = options.redrawIntervalMs ?? 100;
    this.logIntervalMs = options.logIntervalMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.lastLogAt = this.startedAt;
    this.samples.push({ t: this.startedAt, value: this.current });
    this.render();
  }

  increment(delta: number): void {
    this.update(this.current + delta);
  }

  update(current: number): void {
    if (this.done) return;
    this.current = current;
    const t = this.now();
    this.samples.push({ t, value: current });
    while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > RATE_WINDOW_MS) this.samples.shift();
    this.render();
  }

  setTotal(total: number | undefined): void {
    this.total = total;
    this.render();
  }

  finish(note?: string): void {
    if (this.done) return;
    this.end(this.summaryLine(note));
  }

  fail(note?: string): void {
    if (this.done) return;
    this.end(`${this.label}: failed after ${this.amount(this.current)}${note ? ` (${note})` : ""}`);
  }

  private end(line: string): void {
    this.done = true;
    if (this.mode === "quiet") return;
    if (this.mode === "tty") this.stream.write(`\r${fit(line, this.width())}\x1b[K\n`);
    else this.stream.write(line + "\n");
  }

  private render(): void {
    if (this.mode === "quiet" || this.done) return;
    const t = this.now();
    if (this.mode === "tty") {
      if (t - this.lastDrawAt < this.redrawIntervalMs) return;
      this.lastDrawAt = t;
      const line = fit(this.barLine(), this.width());
      this.stream.write(`\r${line}${line.length < this.drawnWidth ? "\x1b[K" : ""}`);
      this.drawnWidth = line.length;
    } else if (t - this.lastLogAt >= this.logIntervalMs) {
      this.lastLogAt = t;
      this.stream.write(this.plainLine() + "\n");
    }
  }

  private width(): number {
    const columns = this.stream.columns;
    // One column short of the edge so the terminal never wraps the line.
    return Math.max(20, (columns && columns > 0 ? columns : 80) - 1);
  }

  /** Units per second over the last few seconds (what the user feels now), excluding `initial`. */
  private rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t < 200) return undefined;
    return ((last.value - first.value) * 1000) / (last.t - first.t);
  }

  private etaSeconds(): number | undefined {
    const rate = this.rate();
    if (this.total === undefined || rate === undefined || rate <= 0) return undefined;
    return Math.max(0, (this.total - this.current) / rate);
  }

  private amount(value: number): string {
    return this.unit === "bytes" ? formatBytes(value) : String(Math.round(value));
  }

  private progressText(): string {
    return this.total === undefined ? this.amount(this.current) : `${this.amount(this.current)}/${this.amount(this.total)}`;
  }

  private rateText(): string | undefined {
    const rate = this.rate();
    if (rate === undefined) return undefined;
    return this.unit === "bytes" ? formatRate(rate) : `${rate.toFixed(rate < 10 ? 1 : 0)}/s`;
  }

  private barLine(): string {
    const tail = [this.progressText(), this.rateText(), this.etaSeconds() === undefined ? undefined : `ETA ${formatDuration(this.etaSeconds() ?? 0)}`]
      .filter((part): part is string => part !== undefined)
      .join("  ");
    if (this.total === undefined || this.total <= 0) return `${this.label}  ${tail}`;
    const fraction = Math.min(1, Math.max(0, this.current / this.total));
    const percent = `${Math.floor(fraction * 100)}`.padStart(3) + "%";
    const width = this.width();
    const label = truncateLabel(this.label, Math.max(8, Math.floor(width * 0.35)));
    const barWidth = Math.max(5, Math.min(40, width - label.length - percent.length - tail.length - 8));
    return `${label}  ${percent} |${drawBar(fraction, barWidth)}| ${tail}`;
  }

  private plainLine(): string {
    const parts = [this.total === undefined ? undefined : `${Math.floor(Math.min(1, this.current / Math.max(1, this.total)) * 100)}%`, this.progressText(), this.rateText()];
    const eta = this.etaSeconds();
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    return `${this.label}: ${parts.filter((p) => p !== undefined).join(", ")}`;
  }

  private summaryLine(note: string | undefined): string {
    const seconds = (this.now() - this.startedAt) / 1000;
    const moved = this.current - this.initial;
    // Below half a second the average rate is noise (tiny files), so it is left out.
    const rate = seconds >= 0.5 && moved > 0 ? (this.unit === "bytes" ? `, ${formatRate(moved / seconds)}` : `, ${(moved / seconds).toFixed(1)}/s`) : "";
    const took = seconds < 60 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
    return `${this.label}: ${this.amount(this.current)} in ${took}${rate}${note ? ` (${note})` : ""}`;
  }
}

const BLOCKS = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"];

function drawBar(fraction: number, width: number): string {
  const eighths = Math.round(fraction * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const body = "█".repeat(full) + (full < width && partial > 0 ? BLOCKS[partial] : "");
  return body.padEnd(width, " ");
}

function truncateLabel(label: string, max: number): string {
  return label.length <= max ? label : "…" + label.slice(label.length - max + 1);
}

function fit(line: string, width: number): string {
  return line.length <= width ? line : line.slice(0, width - 1) + "…";
}

/** Decimal units, as tqdm and huggingface_hub show sizes: 999 B, 1.2 kB, 34.5 MB, 1.23 GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "? B";
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  if (value < 1000) return `${sign}${Math.round(value)} B`;
  const units = ["kB", "MB", "GB", "TB", "PB"];
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digitsFor = (v: number) => (v < 10 ? 2 : v < 100 ? 1 : 0);
  // Rounding can carry into the next unit (999.6 kB would print as "1000 kB"): move up instead.
  if (Number(value.toFixed(digitsFor(value))) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${sign}${value.toFixed(digitsFor(value))} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 0:07, 1:05, 1:02:03 (tqdm style). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
