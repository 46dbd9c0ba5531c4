// Preloaded (node --import) by benches that measure another command: prints the process's peak
// resident set size on stderr when it exits.
process.on("exit", () => {
  process.stderr.write(`max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
