/**
 * A child process running one of audioclass's own modules, talking over Node's IPC channel with
 * structured-clone ("advanced") serialization, so typed arrays cross intact.
 *
 * Why a process and not a worker thread: a thread cannot be stopped while native code (ONNX
 * Runtime's session.run) works for it — terminating one mid-run aborts the whole process
 * ("terminate called after throwing an instance of 'Napi::Error'") — and a native crash in a
 * thread takes its process with it. A process can be killed at any moment, and dies alone.
 *
 * From the compiled package the entry is the sibling `.js` file; from the TypeScript sources
 * (tests, benches under tsx) the child imports tsx's loader first.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ModuleProcessOptions {
  /** Environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** `callerUrl`: the caller's import.meta.url; `stem`: the module next to it, without extension ("./inference-worker"). */
export function startModuleProcess(callerUrl: string, stem: string, { env }: ModuleProcessOptions = {}): ChildProcess {
  const fromSource = callerUrl.endsWith(".ts");
  const entry = fileURLToPath(new URL(`${stem}.${fromSource ? "ts" : "js"}`, callerUrl));
  return fork(entry, [], {
    // Never the parent's flags (a test runner's --test, an inspector port): only what the child needs.
    execArgv: fromSource ? [`--import=${import.meta.resolve("tsx")}`] : [],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    ...(env !== undefined && { env }),
  });
}

/** In the child: its parent's channel, or an error saying how the module is meant to run. */
export function parentChannel(moduleName: string): Required<Pick<NodeJS.Process, "send">> & NodeJS.Process {
  if (typeof process.send !== "function") throw new Error(`${moduleName} runs as a child process started by audioclass (startModuleProcess), not on its own`);
  // A parent that dies (even by SIGKILL) closes the channel: the child must not outlive it.
  process.once("disconnect", () => process.exit(0));
  return process as Required<Pick<NodeJS.Process, "send">> & NodeJS.Process;
}
