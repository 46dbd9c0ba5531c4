import { test } from "node:test";
import assert from "node:assert/strict";
import { PipelineOptionError } from "../../src/pipelines/errors.js";
import { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "../../src/pipelines/zero-shot-hypothesis.js";

test("templates format like Python's str.format with the label as the only argument", () => {
  assert.equal(hypothesisFormatter(DEFAULT_HYPOTHESIS_TEMPLATE)("dog barking"), "This is a sound of dog barking.");
  assert.equal(hypothesisFormatter("{}")("rain"), "rain");
  assert.equal(hypothesisFormatter("{0}, or {0}?")("rain"), "rain, or rain?");
  assert.equal(hypothesisFormatter("{{{}}} {{x}}")("rain"), "{rain} {x}");
  assert.equal(hypothesisFormatter("a {} b")("{}"), "a {} b", "the label is inserted as is");
  for (const [template, message] of [
    ["no field", /has no "\{\}"/],
    ["{} and {}", /more than one "\{\}"/],
    ["{} and {0}", /mixes/],
    ["{label}", /field "\{label\}"/],
    ["{0:>5}", /field "\{0:>5\}"/],
    ["{", /field "\{"/],
    ["a } b {}", /single "\}"/],
  ] as const) {
    assert.throws(() => hypothesisFormatter(template), (e: unknown) => e instanceof PipelineOptionError && message.test(e.message), template);
  }
  assert.throws(() => hypothesisFormatter(3), /must be a string/);
});

test("candidate labels: a list of strings, or one comma-separated string", () => {
  assert.deepEqual(parseCandidateLabels(["a", "b c"]), ["a", "b c"]);
  assert.deepEqual(parseCandidateLabels(" dog barking ,music,, "), ["dog barking", "music"]);
  assert.throws(() => parseCandidateLabels(" , "), /non-empty list/);
  assert.throws(() => parseCandidateLabels(undefined), /non-empty list/);
  assert.throws(() => parseCandidateLabels(["a", null]), /candidateLabels\[1\]/);
});
