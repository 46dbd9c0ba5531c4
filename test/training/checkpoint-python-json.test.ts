import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CorruptCheckpointError, JsonDocument, pythonFloatRepr, pythonJsonDumps } from "../../src/training/checkpoint/index.js";

const MODELS = fileURLToPath(new URL("../fixtures/hf/models/", import.meta.url));

test("floats are written as Python's repr", () => {
  const cases: [number, string][] = [
    [0, "0.0"],
    [-0, "-0.0"],
    [1, "1.0"],
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [5e-5, "5e-05"],
    [0.0001, "0.0001"],
    [0.00012, "0.00012"],
    [1e-12, "1e-12"],
    [1.5e-7, "1.5e-07"],
    [14.285714285714285, "14.285714285714285"],
    [-4.2677393, "-4.2677393"],
    [123.456, "123.456"],
    [1234567890123456, "1234567890123456.0"],
    [1e16, "1e+16"],
    [1.5e300, "1.5e+300"],
    [2 ** -1074, "5e-324"],
    [Number.MAX_VALUE, "1.7976931348623157e+308"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
  ];
  for (const [value, repr] of cases) assert.equal(pythonFloatRepr(value), repr, String(value));
});

test("json.dumps(indent=2, sort_keys=True): layout, key order, ensure_ascii, ints vs floats, id2label sorted numerically", () => {
  const value = { b: [], a: {}, c: [1, 2.5, "x"], "é": "naïve 🎵", id2label: { "10": "k", "2": "c", "0": "a" }, label2id: { b: 1, a: 0, B: 2 }, f: 3, g: null, h: true };
  const text = pythonJsonDumps(value, { isFloat: (p) => p === "/f" });
  assert.equal(
    text,
    [
      "{",
      '  "a": {},',
      '  "b": [],',
      '  "c": [',
      "    1,",
      "    2.5,",
      '    "x"',
      "  ],",
      '  "f": 3.0,',
      '  "g": null,',
      '  "h": true,',
      '  "id2label": {',
      '    "0": "a",',
      '    "2": "c",',
      '    "10": "k"',
      "  },",
      '  "label2id": {',
      '    "B": 2,',
      '    "a": 0,',
      '    "b": 1',
      "  },",
      '  "\\u00e9": "na\\u00efve \\ud83c\\udfb5"',
      "}",
    ].join("\n"),
  );
});

test("every fixture config.json and preprocessor_config.json reads and writes back byte for byte", () => {
  let checked = 0;
  for (const model of readdirSync(MODELS)) {
    for (const file of ["config.json", "preprocessor_config.json"]) {
      const text = readFileSync(join(MODELS, model, file), "utf8");
      assert.equal(JsonDocument.parse(text, file).toJsonString(), text, `${model}/${file}`);
      checked++;
    }
  }
  assert.ok(checked >= 12);
});

test("the reader accepts NaN/Infinity like json.loads, keeps '__proto__' as data, and reports syntax errors by line", () => {
  const doc = JsonDocument.parse('{"a": NaN, "b": -Infinity, "__proto__": {"x": 1}, "c": 1e2, "d": 100}', "t.json");
  assert.ok(Number.isNaN(doc.get("a") as number));
  assert.equal(doc.get("b"), Number.NEGATIVE_INFINITY);
  assert.deepEqual(doc.get("__proto__"), { x: 1 });
  assert.equal(Object.getPrototypeOf(doc.toObject()), Object.prototype);
  assert.equal(doc.toJsonString(), '{\n  "__proto__": {\n    "x": 1\n  },\n  "a": NaN,\n  "b": -Infinity,\n  "c": 100.0,\n  "d": 100\n}\n');
  assert.throws(() => JsonDocument.parse('{\n  "a": 1,\n  "b": }', "bad.json"), (e: unknown) => e instanceof CorruptCheckpointError && /bad\.json is not valid JSON: unexpected "}" at line 3/.test(e.message));
  assert.throws(() => JsonDocument.parse("[1, 2]", "list.json"), /must hold a JSON object/);
  assert.throws(() => JsonDocument.parse('{"a": 1} x', "t.json"), /after the JSON value/);
});

test("with() replaces keys, forgets float markers under them, and can mark new floats", () => {
  const doc = JsonDocument.parse('{"x": 0.0, "y": {"z": 1.0}, "k": 2}', "t");
  const changed = doc.with({ y: { z: 1 }, k: undefined, w: 3 }, ["w"]);
  assert.equal(changed.toJsonString(), '{\n  "w": 3.0,\n  "x": 0.0,\n  "y": {\n    "z": 1\n  }\n}\n');
  assert.equal(doc.toJsonString(), '{\n  "k": 2,\n  "x": 0.0,\n  "y": {\n    "z": 1.0\n  }\n}\n');
  assert.throws(() => JsonDocument.from({ a: new Float32Array(2) }), /the value at \/a is Float32Array\(2\)/);
  assert.throws(() => doc.with({ a: () => 1 }), /JSON cannot hold/);
});
