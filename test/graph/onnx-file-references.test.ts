/**
 * The writer's in-place mode: file-backed initializers become external data pointing into their
 * checkpoint file (location, offset, length) and are never read; everything else stays inline,
 * because onnxruntime cannot mix file references with in-memory external data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GraphBuilder, encodeOnnx, fileRangeOf, serializeModel, type GraphTensor } from "../../src/graph/index.js";
import { FileBackedTensor, openCheckpoint } from "../../src/weights/index.js";
import { bytesOf, weightsFixture, withTempDir } from "../weights/weights-fixtures.js";
import { decodeModel } from "./support/proto-decoder.js";

const TENSORS = weightsFixture("tensors.safetensors");

async function fileTensors(path: string, names: readonly string[]): Promise<GraphTensor[]> {
  const source = await openCheckpoint(path, { fileBacked: true });
  try {
    return names.map((n) => source.getTensor(n));
  } finally {
    source.close();
  }
}

/** y = (x · block) + tail[0..3] with block from a file and a small in-memory bias. */
function model(block: GraphTensor, other: GraphTensor) {
  const g = new GraphBuilder({ name: "in-place" });
  const x = g.input("x", "float32", [1, 4]);
  const y = g.add(g.matMul(x, g.initializer("block", block)), g.initializer("other", other));
  g.output("y", y);
  return g.build();
}

const bias: GraphTensor = { type: "float32", dims: [4], data: Float32Array.of(1, 2, 3, 4) };

test("accepted file-backed initializers point into their file and are never read; the rest stays inline", async () => {
  const [block] = await fileTensors(TENSORS, ["f32.block"]);
  const graph = model(block!, bias);
  assert.equal((block as FileBackedTensor).loaded, false, "building the graph does not read the weight");
  const range = fileRangeOf(block!)!;
  const serialized = serializeModel(graph, { maxInlineBytes: 0, externalMinBytes: 1, referenceFile: (v) => v.name === "block" });
  assert.equal((block as FileBackedTensor).loaded, false, "serialising does not read it either");
  assert.deepEqual(serialized.externalData, []);
  assert.deepEqual(serialized.fileReferences, {
    folder: dirname(realpathSync(TENSORS)),
    files: [{ path: realpathSync(TENSORS), identity: range.identity }],
    bytes: 64,
  });
  const decoded = decodeModel(serialized.bytes);
  const [weight, other] = ["block", "other"].map((n) => decoded.graph.initializers.find((t) => t.name === n)!);
  assert.equal(weight!.dataLocation, 1);
  assert.deepEqual(weight!.externalData, { location: basename(TENSORS), offset: String(range.offset), length: "64" });
  assert.equal(other!.dataLocation, 0);
  assert.deepEqual(Array.from(new Float32Array(other!.rawData!.slice().buffer)), [1, 2, 3, 4]);
});

test("without referenceFile, or when encoding one self-contained buffer, file-backed data is read and embedded", async () => {
  const [block] = await fileTensors(TENSORS, ["f32.block"]);
  const graph = model(block!, bias);
  const expected = bytesOf(block!.data);
  (block as FileBackedTensor).unload();
  const inMemory = serializeModel(graph, { maxInlineBytes: 0, externalMinBytes: 1 });
  assert.equal(inMemory.fileReferences, undefined);
  assert.deepEqual(inMemory.externalData.map((f) => bytesOf(f.data)), [expected, bytesOf(Float32Array.of(1, 2, 3, 4))]);
  const inline = decodeModel(encodeOnnx(graph, { referenceFile: () => true }));
  assert.deepEqual(Buffer.from(inline.graph.initializers.find((t) => t.name === "block")!.rawData!), expected);
});

test("no file references when the rest outweighs them (all in-memory instead), nor across folders", async () => {
  const [block] = await fileTensors(TENSORS, ["f32.block"]);
  const g = new GraphBuilder({ name: "heavy-rest" });
  const x = g.input("x", "float32", [1, 4]);
  const heavy: GraphTensor = { type: "float32", dims: [4, 5], data: new Float32Array(20).fill(0.5) };
  g.output("y", g.matMul(g.matMul(x, g.initializer("block", block!)), g.initializer("heavy", heavy)));
  const tooMuchRest = serializeModel(g.build(), { maxInlineBytes: 0, externalMinBytes: 1, referenceFile: (v) => v.name === "block" });
  assert.equal(tooMuchRest.fileReferences, undefined);
  assert.equal(tooMuchRest.externalData.length, 2, "both handed over from memory");

  await withTempDir(async (dir) => {
    copyFileSync(TENSORS, join(dir, "other.safetensors"));
    const [bias4] = await fileTensors(join(dir, "other.safetensors"), ["f32.tail"]);
    const four: GraphTensor = { type: "float32", dims: [4], data: (bias4!.data as Float32Array).subarray(0, 4) };
    const sliced = serializeModel(model(block!, four), { maxInlineBytes: 0, externalMinBytes: 1, referenceFile: () => true });
    assert.equal(sliced.fileReferences?.files.length, 1, "a computed tensor has no range");
    const [otherFolder] = await fileTensors(join(dir, "other.safetensors"), ["f32.block"]);
    const g2 = new GraphBuilder({ name: "two-folders" });
    const x2 = g2.input("x", "float32", [1, 4]);
    g2.output("y", g2.add(g2.matMul(x2, g2.initializer("a", block!)), g2.matMul(x2, g2.initializer("b", otherFolder!))));
    const two = serializeModel(g2.build(), { maxInlineBytes: 0, externalMinBytes: 1, referenceFile: () => true });
    assert.equal(two.fileReferences?.folder, dirname(realpathSync(TENSORS)), "the first folder wins");
    const decoded = decodeModel(two.bytes);
    assert.equal(decoded.graph.initializers.find((t) => t.name === "b")!.dataLocation, 0, "the other folder's tensor is inlined");
  });
});

test("file-backed tensors pass the builder's checks from their dims and range alone", async () => {
  const [block, scalar] = await fileTensors(TENSORS, ["f32.block", "f32.scalar"]);
  const g = new GraphBuilder({ name: "checks" });
  const x = g.input("x", "float32", [1, 4]);
  g.output("y", g.mul(g.matMul(x, g.initializer("block", block!)), g.initializer("s", scalar!)));
  g.build();
  assert.equal((block as FileBackedTensor).loaded, false);
  const wrong = Object.defineProperty({ type: "float32" as const, dims: [4, 4], data: new Float32Array(16) }, "fileRange", { value: { ...fileRangeOf(block!)!, length: 60 } });
  assert.equal(fileRangeOf(wrong), undefined, "a range that does not match the dims is ignored");
  assert.deepEqual(bytesOf(readFileSync(TENSORS).subarray(fileRangeOf(block!)!.offset, fileRangeOf(block!)!.offset + 64)), bytesOf(block!.data));
});
