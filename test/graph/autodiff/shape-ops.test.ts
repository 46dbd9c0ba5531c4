import { test } from "node:test";
import { randomFloats } from "../support/random.js";
import { OpBench } from "./support/op-bench.js";

test("Reshape, Flatten, Squeeze, Unsqueeze, Transpose (explicit and reversed perm), Identity", async () => {
  const b = new OpBench("layout");
  const g = b.g;
  g.output("reshape", g.reshape(b.input("reshape", "x", [2, 3, 4], randomFloats, ["batch", 3, 4]), [0, 2, 6]));
  g.output("flatten", g.flatten(b.input("flatten", "x", [2, 3, 2]), 2));
  g.output("squeeze", g.squeeze(b.input("squeeze", "x", [2, 1, 3]), [1]));
  g.output("unsqueeze", g.unsqueeze(b.input("unsqueeze", "x", [2, 3]), [0, -1]));
  g.output("transpose", g.transpose(b.input("transpose", "x", [2, 3, 4]), [2, 0, 1]));
  g.output("reverse", g.transpose(b.input("reverse", "x", [2, 3, 4])));
  await b.check();
});

test("Expand and Tile sum back over the copies; Concat and Split (missing output gradients become zeros)", async () => {
  const b = new OpBench("copies");
  const g = b.g;
  g.output("expand", g.expand(b.input("expand", "x", [3, 1]), [2, 3, 4]));
  g.output("tile", g.tile(b.input("tile", "x", [2, 3]), [2, 1]));
  g.output("tile2", g.tile(b.input("tile2", "x", [2, 3], randomFloats, ["batch", 3]), [3, 2]));
  const cls = b.input("concat", "cls", [2, 1, 4]);
  const tokens = b.input("concat", "tokens", [2, 3, 4], randomFloats, ["batch", "time", 4]);
  g.output("concat", g.concat([g.expand(cls, g.concat([g.shape(tokens, 0, 1), g.vector([1, 4])], 0)), tokens], 1));
  const [first, , third] = g.split(b.input("split", "x", [2, 6]), [1, 2, 3], 1);
  g.output("split_first", first!);
  g.output("split_third", third!);
  await b.check();
});

test("Concat along a symbolic axis: several inputs of symbolic length", async () => {
  const b = new OpBench("concat-symbolic");
  const g = b.g;
  const a = b.input("c", "a", [2, 3], randomFloats, [2, "t"]);
  const c = b.input("c", "b", [2, 2], randomFloats, [2, "u"]);
  const d = b.input("c", "c", [2, 1]);
  g.output("c", g.mul(g.concat([a, d, c], 1), g.concat([c, a, d], 1)));
  await b.check();
});
