/**
 * The top-k scores as an ordered list of labelled bars. Each item keeps the exact score in a data
 * attribute (the browser test reads it) and shows it as a percentage; a <meter> gives the bar
 * its accessible value.
 */
export interface ScoreItem {
  readonly label: string;
  readonly score: number;
}

export function renderScores(list: HTMLOListElement, scores: readonly ScoreItem[]): void {
  list.replaceChildren(
    ...scores.map(({ label, score }) => {
      const item = document.createElement("li");
      item.dataset["label"] = label;
      item.dataset["score"] = String(score);
      const name = document.createElement("span");
      name.className = "label";
      name.textContent = label;
      const bar = document.createElement("meter");
      bar.min = 0;
      bar.max = 1;
      bar.value = score;
      bar.setAttribute("aria-label", `${label}: ${(score * 100).toFixed(1)} %`);
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = `${(score * 100).toFixed(1)} %`;
      item.append(name, bar, value);
      return item;
    }),
  );
}
