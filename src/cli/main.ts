#!/usr/bin/env node
import { runCli } from "./cli.js";
import { processIO } from "./cli-io.js";

// A reader that stops early (`audioclass classify dir | head -1`) closes the pipe: stop quietly,
// as Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIO());
