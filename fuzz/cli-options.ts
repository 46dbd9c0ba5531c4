/** The `npm run fuzz` command line. */
export interface FuzzCliOptions {
  readonly list: boolean;
  /** Target names, or ["all"]. */
  readonly targets: readonly string[];
  /** Per target. */
  readonly seconds: number;
  readonly runs: number | undefined;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly memoryMiB: number;
  readonly findingsDir: string | undefined;
  readonly help: boolean;
}

export const USAGE = `npm run fuzz -- --target <name|all>[,<name>…] [--seconds N] [--runs N] [--seed S]
                   [--timeout-ms 5000] [--memory-mib 1024] [--findings DIR] | --list

  --target T      a target from --list, several separated by commas, or "all" (one after another)
  --seconds N     time per target (default 60)
  --runs N        stop a target after N executions (whichever of --seconds/--runs comes first)
  --seed S        the mutation sequence; the same seed gives the same inputs (default 1)
  --timeout-ms    an input using more CPU time is a hang finding (default 5000; a wait
                  burning no CPU is cut at 12 times this much wall-clock time)
  --memory-mib    the child process's resident-memory bound (default 1024)
  --findings DIR  where findings are saved (default fuzz-findings/, git-ignored)`;

function integer(flag: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min) throw new Error(`${flag} needs an integer ≥ ${min}, got ${text ?? "nothing"}`);
  return value;
}

export function parseFuzzArgs(argv: readonly string[]): FuzzCliOptions {
  let list = false;
  let help = false;
  const targets: string[] = [];
  let seconds = 60;
  let runs: number | undefined;
  let seed = 1;
  let timeoutMs = 5000;
  let memoryMiB = 1024;
  let findingsDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes("=") ? (argv[i]!.split(/=(.*)/s, 2) as [string, string]) : [argv[i]!, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "--list": list = true; break;
      case "--help": case "-h": help = true; break;
      case "--target": targets.push(...(value() ?? "").split(",").filter((t) => t !== "")); break;
      case "--seconds": seconds = integer(flag, value(), 1); break;
      case "--runs": runs = integer(flag, value(), 1); break;
      case "--seed": seed = integer(flag, value(), 0); break;
      case "--timeout-ms": timeoutMs = integer(flag, value(), 100); break;
      case "--memory-mib": memoryMiB = integer(flag, value(), 128); break;
      case "--findings": findingsDir = value(); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return { list, help, targets, seconds, runs, seed, timeoutMs, memoryMiB, findingsDir, };
}
