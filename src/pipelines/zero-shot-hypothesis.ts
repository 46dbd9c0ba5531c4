/**
 * The text side of zero-shot audio classification: candidate labels checked and turned into
 * hypotheses with Python's `hypothesis_template.format(label)` — "{}" (or "{0}") is the label,
 * "{{" and "}}" are literal braces.
 */
import { describeValue } from "../errors.js";
import { PipelineOptionError } from "./errors.js";

export const DEFAULT_HYPOTHESIS_TEMPLATE = "This is a sound of {}.";

/**
 * candidateLabels as a list of strings. A single string is split on commas (as the text
 * zero-shot pipeline does; Python's audio pipeline would iterate its characters).
 */
export function parseCandidateLabels(value: unknown): string[] {
  const labels = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : value;
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new PipelineOptionError(
      `candidateLabels must be a non-empty list of labels, e.g. { candidateLabels: ["dog barking", "vacuum cleaner"] }, got ${describeValue(value)}`,
    );
  }
  labels.forEach((label, i) => {
    if (typeof label !== "string") throw new PipelineOptionError(`candidateLabels[${i}] must be a string, got ${describeValue(label)}`);
  });
  return [...(labels as string[])];
}

type Piece = { text: string } | { label: true };

/**
 * Parses a str.format template whose fields all name the one argument, the label: "{0}" any
 * number of times, or "{}" once (a second "{}" would be argument 1, which Python rejects).
 */
function parseTemplate(template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  let automatic = 0;
  let manual = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "{" && template[i + 1] === "{") {
      text += "{";
      i++;
    } else if (c === "}" && template[i + 1] === "}") {
      text += "}";
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i);
      const field = end < 0 ? undefined : template.slice(i + 1, end);
      if (field !== "" && field !== "0") {
        throw new PipelineOptionError(
          `hypothesisTemplate ${JSON.stringify(template)} has the field "{${field ?? template.slice(i + 1)}${end < 0 ? "" : "}"}"; ` +
            'use "{}" where the label goes (write "{{" and "}}" for literal braces)',
        );
      }
      if (field === "") automatic++;
      else manual++;
      if (automatic > 1 || (automatic > 0 && manual > 0)) {
        throw new PipelineOptionError(
          `hypothesisTemplate ${JSON.stringify(template)} ${automatic > 1 ? 'has more than one "{}" (Python would look for a second argument)' : 'mixes "{}" and "{0}"'}; ` +
            'use "{0}" to repeat the label',
        );
      }
      if (text) pieces.push({ text });
      text = "";
      pieces.push({ label: true });
      i = end;
    } else if (c === "}") {
      throw new PipelineOptionError(`hypothesisTemplate ${JSON.stringify(template)} has a single "}"; write "}}" for a literal brace`);
    } else {
      text += c;
    }
  }
  if (text) pieces.push({ text });
  return pieces;
}

/** Checks a template once; the result formats labels. */
export function hypothesisFormatter(template: unknown): (label: string) => string {
  if (typeof template !== "string") {
    throw new PipelineOptionError(`hypothesisTemplate must be a string with "{}" where the label goes, e.g. ${JSON.stringify(DEFAULT_HYPOTHESIS_TEMPLATE)}, got ${describeValue(template)}`);
  }
  const pieces = parseTemplate(template);
  if (!pieces.some((p) => "label" in p)) {
    throw new PipelineOptionError(
      `hypothesisTemplate ${JSON.stringify(template)} has no "{}": every label would give the same text; ` +
        `put "{}" where the label goes, e.g. ${JSON.stringify(DEFAULT_HYPOTHESIS_TEMPLATE)}, or pass "{}" to use the labels as they are`,
    );
  }
  return (label) => pieces.map((p) => ("label" in p ? label : p.text)).join("");
}
