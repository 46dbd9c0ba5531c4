/**
 * Text renderings of hub results for the CLI verbs (`download`, `cache ls`, `cache rm`), in the
 * CLI's --format choices. The data functions return plain objects; these only present them.
 */
import { formatBytes } from "../util/progress.js";
import type { CacheListing, CachedModel } from "./cache-scan.js";
import type { RemovedModel } from "./cache-remove.js";
import type { DownloadResult } from "./download-model.js";

export type OutputFormat = "table" | "json" | "jsonl" | "csv";

export function formatDownloadResult(result: DownloadResult, format: OutputFormat = "table"): string {
  const data = {
    id: result.id,
    revision: result.revision,
    commit: result.commit,
    dir: result.dir,
    files: result.files.map((f) => ({ name: f.name, size: f.size, downloaded: f.downloaded })),
  };
  if (format === "json") return JSON.stringify(data, null, 2) + "\n";
  if (format === "jsonl") return JSON.stringify(data) + "\n";
  if (format === "csv") {
    return toCsv(["id", "revision", "commit", "file", "size", "downloaded", "path"], result.files.map((f) => [result.id, result.revision, result.commit, f.name, f.size, f.downloaded, f.path]));
  }
  const fetched = result.files.filter((f) => f.downloaded);
  const total = result.files.reduce((sum, f) => sum + f.size, 0);
  const how = fetched.length === 0 ? "all from the cache" : `${fetched.length} downloaded (${formatBytes(fetched.reduce((s, f) => s + f.size, 0))}), ${result.files.length - fetched.length} from the cache`;
  const lines = [
    `${result.id} @ ${result.revision} (commit ${result.commit.slice(0, 12)}): ${result.files.length} files, ${formatBytes(total)}, ${how}`,
    ...renderTable(["FILE", "SIZE", ""], result.files.map((f) => [f.name, formatBytes(f.size), f.downloaded ? "downloaded" : "cached"])),
    result.dir,
  ];
  return lines.join("\n") + "\n";
}

export function formatCacheListing(listing: CacheListing, format: OutputFormat = "table"): string {
  if (format === "json") return JSON.stringify(listing, null, 2) + "\n";
  if (format === "jsonl") return listing.models.map((m) => JSON.stringify(m)).join("\n") + (listing.models.length ? "\n" : "");
  if (format === "csv") {
    return toCsv(
      ["id", "revisions", "size", "last_modified", "path"],
      listing.models.map((m) => [m.id, revisionsText(m), m.size, m.lastModified.toISOString(), m.path]),
    );
  }
  const warnings = listing.warnings.map((w) => `warning: ${w}`);
  if (listing.models.length === 0) return [`No models in the cache at ${listing.cacheDir}.`, ...warnings].join("\n") + "\n";
  const rows = listing.models.map((m) => [m.id, revisionsText(m), formatBytes(m.size), shortDate(m.lastModified), m.path]);
  const count = listing.models.length;
  return [
    ...renderTable(["ID", "REVISIONS", "SIZE", "LAST MODIFIED", "PATH"], rows),
    "",
    `${count} model${count === 1 ? "" : "s"}, ${formatBytes(listing.totalSize)} in ${listing.cacheDir}`,
    ...warnings,
  ].join("\n") + "\n";
}

export function formatRemovedModel(removed: RemovedModel, format: OutputFormat = "table"): string {
  if (format === "json") return JSON.stringify(removed, null, 2) + "\n";
  if (format === "jsonl") return JSON.stringify(removed) + "\n";
  if (format === "csv") return toCsv(["id", "path", "freed_bytes"], [[removed.id, removed.path, removed.freedBytes]]);
  return `Removed ${removed.id} (${formatBytes(removed.freedBytes)} freed): ${removed.path}\n`;
}

/** "main, v1.0" for snapshots with refs; the short sha for detached ones. */
function revisionsText(model: CachedModel): string {
  return model.revisions.map((r) => (r.refs.length ? r.refs.join(", ") : r.commit.slice(0, 12))).join("; ");
}

function shortDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

function toCsv(header: string[], rows: Array<Array<string | number | boolean>>): string {
  const cell = (v: string | number | boolean) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
