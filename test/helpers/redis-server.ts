/**
 * A real, private `redis-server` for the queue tests: started on a free 127.0.0.1 port in its own
 * temporary directory, stopped (and the directory removed) afterwards. Nothing about Redis is
 * mocked: BullMQ's Lua scripts, blocking pops and stalled-job checks run against the real thing.
 *
 * When redis-server is not installed the tests skip themselves with REDIS_SKIP_REASON, and
 * scripts/run-tests.mjs prints one line for the whole run; under CI (CI=true) they run anyway and
 * fail, because CI must exercise the queue (.ci/run installs Debian's redis-server).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const redisServerOnPath: boolean = (() => {
  const probe = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
})();

function runningInCI(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== "" && env.CI.toLowerCase() !== "false" && env.CI !== "0";
}

/** The skip reason; scripts/run-tests.mjs counts skips by it, so keep the two in step. */
export const REDIS_SKIP_REASON = "redis-server not found on PATH";

/** node:test options for a test that needs Redis: `test(name, needsRedis, fn)`. Never skips under CI. */
export const needsRedis: { skip: string | false } = { skip: redisServerOnPath || runningInCI(process.env) ? false : REDIS_SKIP_REASON };

/** A port nothing listens on right now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalRedisOptions {
  /** Append-only file on (appendfsync always), so a restart loses nothing: the setting. */
  appendonly?: boolean;
}

export class LocalRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: LocalRedisOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: LocalRedisOptions = {}): Promise<LocalRedis> {
    if (!redisServerOnPath) {
      throw new Error(`${REDIS_SKIP_REASON}, and CI=${process.env.CI} says the queue tests must run: install it (apt-get install redis-server; .ci/run does this)`);
    }
    const dir = mkdtempSync(join(tmpdir(), "audioclass-redis-"));
    // Another process may take the port between freePort() and redis-server's bind: try again.
    for (let attempt = 0; ; attempt++) {
      const redis = new LocalRedis(await freePort(), dir, options);
      try {
        await redis.launch();
        return redis;
      } catch (error) {
        if (attempt >= 3) {
          rmSync(dir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  /** Starts redis-server on this port and directory; resolves once it accepts connections. */
  private launch(): Promise<void> {
    const args = [
      "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir,
      "--save", "", "--appendonly", this.options.appendonly ? "yes" : "no", "--appendfsync", "always",
      "--maxmemory-policy", "noeviction", "--daemonize", "no", "--logfile", "",
    ];
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let output = "";
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          child.stdout!.off("data", onData);
          child.stdout!.resume();
          child.stderr!.resume();
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => reject(new Error(`redis-server on port ${this.port} exited (${code}) before it was ready:\n${output}`)));
      child.once("error", reject);
    });
  }

  /** Stops the server (SIGTERM: Redis flushes its append-only file first). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }

  /** Stops and starts it again on the same port and directory (with AOF on, nothing is lost). */
  async restart(downForMs = 0): Promise<void> {
    await this.stop();
    if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
    await this.launch();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
