/**
 * Structure-aware mutation of JSON documents (config.json, preprocessor_config.json, tokenizer
 * files, JSONL lines): a value somewhere in the tree is replaced by one a config writer could
 * plausibly get wrong — huge, negative, zero, fractional, the NaN/Infinity tokens Python's json
 * writes, the wrong type — or a key is removed, duplicated into another object, or renamed.
 * Byte mutations alone would mostly break the JSON syntax and never reach the config checks.
 */
import type { FuzzRandom } from "./random.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Written into the text as raw tokens: JSON.stringify cannot produce them. */
const RAW_NUMBER_TOKENS = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "-0", "1e21", "9007199254740993", "4294967296", "2147483648", "0.5", "1.5", "-1"];

const REPLACEMENTS: readonly (() => Json)[] = [
  () => 0,
  () => -1,
  () => 1,
  () => 2,
  () => 3,
  () => 0x7fffffff,
  () => 0xffffffff,
  () => 1e9,
  () => 1e15,
  () => Number.MAX_SAFE_INTEGER,
  () => 1e308,
  () => -1e308,
  () => 65536,
  () => 999999,
  () => 1e-30,
  () => 0.1,
  () => 2.5,
  () => 7,
  () => 8000,
  () => 16000,
  () => 768001,
  () => 999,
  () => "",
  () => "16000",
  () => "x".repeat(300),
  () => "\u0000\ud800",
  () => null,
  () => true,
  () => false,
  () => [],
  () => [0],
  () => [-1, 1e9],
  () => {
    return {};
  },
  () => ({ content: "<pad>" }),
];

function isObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every (container, key) in the tree, in document order. */
function slots(root: Json): { container: Json[] | { [key: string]: Json }; key: string | number }[] {
  const out: { container: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const visit = (value: Json): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        out.push({ container: value, key: i });
        visit(item);
      });
    } else if (isObject(value)) {
      for (const [k, item] of Object.entries(value)) {
        out.push({ container: value, key: k });
        visit(item);
      }
    }
  };
  visit(root);
  return out;
}

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** Numbers near the original: off by one, doubled, negated, scaled by 1000 — bounds checks live there. */
function nearby(value: number, random: FuzzRandom): number {
  switch (random.below(6)) {
    case 0: return value + 1;
    case 1: return value - 1;
    case 2: return value * 2;
    case 3: return -value;
    case 4: return value * 1000;
    default: return Math.floor(value / 3);
  }
}

/**
 * One structural edit of the JSON text, or undefined when the text is not JSON (the caller then
 * falls back to byte mutations).
 */
export function mutateJsonText(text: string, random: FuzzRandom): string | undefined {
  const root = parse(text);
  if (root === undefined) return undefined;
  const all = slots(root);
  if (all.length === 0) return JSON.stringify(random.pick(REPLACEMENTS)());
  const slot = random.pick(all);
  const container = slot.container as Record<string | number, Json>;
  const current = container[slot.key]!;
  let rawToken: string | undefined;
  const action = random.below(10);
  if (action === 0 && !Array.isArray(slot.container)) {
    delete container[slot.key];
  } else if (action === 1 && typeof current === "number") {
    container[slot.key] = nearby(current, random);
  } else if (action === 2) {
    rawToken = random.pick(RAW_NUMBER_TOKENS);
    container[slot.key] = "__RAW_TOKEN__";
  } else if (action === 3 && Array.isArray(current) && current.length > 0) {
    // Arrays: drop, repeat or reverse entries (list lengths that no longer match each other).
    const choice = random.below(3);
    if (choice === 0) current.splice(random.below(current.length), 1);
    else if (choice === 1) current.push(current[random.below(current.length)]!);
    else current.reverse();
  } else if (action === 4 && isObject(current)) {
    container[slot.key] = Object.values(current); // an object where a list was expected
  } else if (action === 5) {
    // A key of one object copied into the root: settings given at the wrong level.
    if (isObject(root) && typeof slot.key === "string") root[slot.key] = structuredClone(current);
    else container[slot.key] = random.pick(REPLACEMENTS)();
  } else {
    container[slot.key] = random.pick(REPLACEMENTS)();
  }
  const out = JSON.stringify(root, null, random.chance(0.5) ? 2 : undefined);
  return rawToken === undefined ? out : out.replace('"__RAW_TOKEN__"', rawToken);
}
