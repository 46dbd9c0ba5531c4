/**
 * The JS values the pickle interpreter produces. Python types map as: None → null, bool → boolean,
 * int → number (bigint beyond 2^53), float → number, str → string, bytes → Uint8Array,
 * list → array, tuple → frozen array, dict → PickleDict, set → Set. Globals become PickleCallable
 * objects, and only the allow-list decides which exist.
 */

/** A Python dict (or OrderedDict). BUILD state on it (e.g. a state dict's `_metadata`) lands in `attributes`. */
export class PickleDict extends Map<unknown, unknown> {
  readonly attributes = new Map<string, unknown>();

  constructor(readonly pythonType: "dict" | "collections.OrderedDict" = "dict") {
    super();
  }
}

/**
 * A global the allow-list admitted, with a safe JS stand-in for what calling it does. The
 * interpreter only ever "calls" these; there is no path from pickle bytes to running other code.
 */
export class PickleCallable {
  constructor(
    /** "module.name", as in the pickle. */
    readonly qualifiedName: string,
    private readonly implementation?: (args: readonly unknown[], kwargs: ReadonlyMap<unknown, unknown>) => unknown,
    /** What `cls.__new__(cls, *args)` (NEWOBJ) gives, for the few classes that allow it. */
    private readonly constructorImplementation?: (args: readonly unknown[]) => unknown,
  ) {}

  get callable(): boolean {
    return this.implementation !== undefined;
  }

  get constructible(): boolean {
    return this.constructorImplementation !== undefined;
  }

  call(args: readonly unknown[], kwargs: ReadonlyMap<unknown, unknown> = new Map()): unknown {
    if (!this.implementation) throw new Error(`${this.qualifiedName} is not callable`);
    return this.implementation(args, kwargs);
  }

  construct(args: readonly unknown[]): unknown {
    if (!this.constructorImplementation) throw new Error(`${this.qualifiedName} cannot be constructed`);
    return this.constructorImplementation(args);
  }
}

/** Objects that accept a pickle BUILD (`__setstate__`). */
export interface PickleStateful {
  applyPickleState(state: unknown): void;
}

export function isPickleStateful(value: unknown): value is PickleStateful {
  return typeof value === "object" && value !== null && typeof (value as Partial<PickleStateful>).applyPickleState === "function";
}

export function isTuple(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && Object.isFrozen(value);
}

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value) && !Object.isFrozen(value);
}

/** A short Python-ish type name for error messages. */
export function pickleTypeName(value: unknown): string {
  if (value === null) return "None";
  if (value === undefined) return "nothing"; // never a pickle value; named rather than crashing the message
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "bigint") return "int";
  if (typeof value === "string") return "str";
  if (value instanceof Uint8Array) return "bytes";
  if (isTuple(value)) return "tuple";
  if (Array.isArray(value)) return "list";
  if (value instanceof PickleDict) return value.pythonType;
  if (value instanceof Set) return "set";
  if (value instanceof PickleCallable) return value.qualifiedName;
  return (value as object).constructor?.name ?? typeof value;
}
