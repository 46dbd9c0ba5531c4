/** Levenshtein distance, for "did you mean" suggestions in error messages. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/**
 * Up to `limit` candidates closest to `name`: the nearest by edit distance, plus any that share
 * its last dotted segments (so "encoder.layer.0.attn.q.weight" finds "...attention.q_proj.weight").
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const tail = lower.split(".").slice(-2).join(".");
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score = editDistance(lower, cl) / Math.max(lower.length, cl.length, 1);
    if (tail.includes(".") && cl.endsWith(tail)) score = Math.min(score, 0.35);
    if (cl.includes(lower) || lower.includes(cl)) score = Math.min(score, 0.3);
    scored.push([c, score]);
  }
  return scored
    .filter(([, s]) => s <= 0.5)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([c]) => c);
}
