import { formatCacheListing, formatRemovedModel, listCachedModels, removeCachedModel } from "../../hub/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { choiceOption, parseCommand, stringOption } from "../parse-options.js";
import { OUTPUT_FORMATS } from "../output-format.js";

export const cacheUsage = `Usage: audioclass cache ls [--cache-dir DIR] [--format F]
       audioclass cache rm <org/name> [--cache-dir DIR] [--force]

ls   lists the models in the Hugging Face cache: revisions, size, last change, path
rm   removes one model's folder from the cache (--force: even while a download holds a lock)
`;

export async function cacheCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommand(rest, {
    "cache-dir": { type: "string" },
    format: { type: "string" },
    force: { type: "boolean" },
  });
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? "table";
  const cacheDir = stringOption(values, "cache-dir");
  if (action === "ls" || action === "list") {
    if (positionals.length > 0) throw new UsageError(`cache ls takes no arguments, got ${positionals.join(" ")}`);
    io.stdout(formatCacheListing(await listCachedModels({ cacheDir, env: io.env }), format));
    return 0;
  }
  if (action === "rm" || action === "remove") {
    if (positionals.length !== 1) throw new UsageError("cache rm takes exactly one model id, e.g. `audioclass cache rm org/name`");
    io.stdout(formatRemovedModel(await removeCachedModel(positionals[0]!, { cacheDir, env: io.env, force: Boolean(values["force"]) }), format));
    return 0;
  }
  throw new UsageError(action === undefined ? "cache needs an action: ls or rm" : `unknown cache action ${JSON.stringify(action)}: use ls or rm`);
}
