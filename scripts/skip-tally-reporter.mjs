// A node:test reporter that writes one JSON object, { "<skip reason>": count, … }, for the
// skipped tests of the run. scripts/run-tests.mjs runs it next to the spec reporter so it can
// sum up a whole class of skips (e.g. the ffmpeg-path tests) in one line at the end.
export default async function* skipTallyReporter(source) {
  const tally = {};
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const reason = event.data.skip;
    if (reason === undefined || reason === false) continue;
    const key = reason === true ? "" : String(reason);
    tally[key] = (tally[key] ?? 0) + 1;
  }
  yield `${JSON.stringify(tally)}\n`;
}
