/**
 * A small Prometheus registry: counters and histograms with labels, and gauges read when scraped,
 * rendered in the text exposition format (version 0.0.4). Small enough to own, so the server
 * needs no metrics dependency.
 */

export type Labels = Readonly<Record<string, string>>;

/** Label values may hold anything: backslash, double quote and newline are escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

function header(name: string, help: string, type: string): string[] {
  return [`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`];
}

/** One series per distinct label set, keyed by its label values in the metric's label order. */
abstract class LabelledMetric<S> {
  protected readonly series = new Map<string, { labels: Labels; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {}

  private keyOf(labels: Labels): string {
    return JSON.stringify(this.labelNames.map((k) => labels[k] ?? ""));
  }

  protected stateFor(labels: Labels): S {
    const key = this.keyOf(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      const ordered: Record<string, string> = {};
      for (const name of this.labelNames) ordered[name] = labels[name] ?? "";
      entry = { labels: ordered, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  /** A series' state, if it has been touched. */
  protected peek(labels: Labels): S | undefined {
    return this.series.get(this.keyOf(labels))?.state;
  }

  protected abstract initial(): S;
  abstract render(): string[];
}

export class Counter extends LabelledMetric<{ value: number }> {
  inc(labels: Labels = {}, by = 1): void {
    this.stateFor(labels).value += by;
  }

  /** The current value of one series (0 if never incremented). */
  get(labels: Labels = {}): number {
    return this.peek(labels)?.value ?? 0;
  }

  protected initial(): { value: number } {
    return { value: 0 };
  }

  render(): string[] {
    const lines = header(this.name, this.help, "counter");
    for (const { labels, state } of this.series.values()) lines.push(`${this.name}${formatLabels(labels)} ${formatNumber(state.value)}`);
    return lines;
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends LabelledMetric<HistogramState> {
  private readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const state = this.stateFor(labels);
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) state.counts[i]!++;
    state.sum += value;
    state.count++;
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  render(): string[] {
    const lines = header(this.name, this.help, "histogram");
    for (const { labels, state } of this.series.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: formatNumber(le) })} ${state.counts[i]}`));
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${state.count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatNumber(state.sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${state.count}`);
    }
    return lines;
  }
}

/** A value read at scrape time (queue depth, memory). */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  render(): string[] {
    return [...header(this.name, this.help, "gauge"), `${this.name} ${formatNumber(this.read())}`];
  }
}

export class MetricsRegistry {
  private readonly metrics: Array<{ render(): string[] }> = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  gauge(name: string, help: string, read: () => number): Gauge {
    return this.add(new Gauge(name, help, read));
  }

  /** The exposition text; serve it as text/plain; version=0.0.4. */
  render(): string {
    return this.metrics.flatMap((m) => m.render()).join("\n") + "\n";
  }

  private add<M extends { render(): string[] }>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
