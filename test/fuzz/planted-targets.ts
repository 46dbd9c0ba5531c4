/**
 * Targets that fail on purpose, loaded into the fuzz child by harness.test.ts, to show that each
 * kind of failure is caught, classified and saved — and that a typed error is not.
 */
import { InvalidArgumentError } from "../../src/errors.js";
import type { FuzzTarget } from "../../fuzz/target.js";

const seeds = () => [{ name: "one byte", bytes: Uint8Array.of(1) }];

export const targets: FuzzTarget[] = [
  {
    name: "planted-type-error",
    description: "throws a TypeError for inputs starting with an odd byte, an AudioclassError otherwise",
    seeds,
    async run(input) {
      if ((input[0] ?? 0) % 2 === 1) (undefined as unknown as { x: number }).x = 1;
      throw new InvalidArgumentError("even inputs are refused politely");
    },
  },
  {
    name: "planted-hang",
    description: "never returns",
    seeds,
    async run() {
      for (;;);
    },
  },
  {
    name: "planted-stall",
    description: "waits for a promise nobody settles, burning no CPU",
    seeds,
    async run() {
      await new Promise(() => {});
    },
  },
  {
    name: "planted-memory",
    description: "touches 400 MB of typed arrays (outside the V8 heap limit)",
    seeds,
    async run() {
      const held: Uint8Array[] = [];
      for (let i = 0; i < 40; i++) held.push(new Uint8Array(10 * 1024 * 1024).fill(1));
      await new Promise((done) => setTimeout(done, 2000));
      if (held.length === 0) throw new Error("unreachable");
    },
  },
  {
    name: "planted-escaped",
    description: "returns normally but leaves a rejected promise behind",
    seeds,
    async run() {
      void Promise.reject(new RangeError("nobody awaited me"));
    },
  },
  {
    // The harness once excused allocation RangeErrors on inputs it judged "known"; none is excused now.
    name: "planted-allocation",
    description: "asks for a 2^40-element typed array, as a parser trusting a huge declared size would",
    seeds,
    async run(input) {
      new Float32Array(2 ** 40 + (input[0] ?? 0));
    },
  },
];
