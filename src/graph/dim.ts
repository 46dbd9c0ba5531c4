/**
 * Symbolic dimensions. A dimension is a number or a string expression over named symbols
 * ("batch", "time", "2*time+1", "floor((samples-400)/320)+1"). Expressions are kept in a
 * canonical form (integer-coefficient sums of products, constants last) so that two routes to the
 * same size — a Conv with padding followed by a Slice, say — compare equal to the plain "time"
 * of a residual branch. Sizes that cannot be expressed (data-dependent Reshape targets, broadcast
 * of two different symbols) are unknown: strings starting with "?", written as an empty dimension
 * in ONNX.
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isSymbolName(name: string): boolean {
  return IDENTIFIER.test(name);
}

export function isUnknownDim(dim: Dim): boolean {
  return typeof dim === "string" && dim.startsWith("?");
}

// ---- parsing ---------------------------------------------------------------------------------

type Ast =
  | { kind: "num"; value: number }
  | { kind: "atom"; text: string; call?: { fn: string; args: Ast[] } }
  | { kind: "sum"; terms: Array<{ sign: 1 | -1; ast: Ast }> }
  | { kind: "product"; factors: Array<{ op: "*" | "/"; ast: Ast }> };

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Ast | undefined {
    const ast = this.sum();
    return ast !== undefined && this.pos === this.text.length ? ast : undefined;
  }

  private peek(): string {
    return this.text[this.pos] ?? "";
  }

  private sum(): Ast | undefined {
    const terms: Array<{ sign: 1 | -1; ast: Ast }> = [];
    let sign: 1 | -1 = 1;
    if (this.peek() === "-") {
      sign = -1;
      this.pos++;
    }
    for (;;) {
      const ast = this.product();
      if (ast === undefined) return undefined;
      terms.push({ sign, ast });
      const c = this.peek();
      if (c !== "+" && c !== "-") break;
      sign = c === "+" ? 1 : -1;
      this.pos++;
    }
    return terms.length === 1 && terms[0]!.sign === 1 ? terms[0]!.ast : { kind: "sum", terms };
  }

  private product(): Ast | undefined {
    const first = this.factor();
    if (first === undefined) return undefined;
    const factors: Array<{ op: "*" | "/"; ast: Ast }> = [{ op: "*", ast: first }];
    while (this.peek() === "*" || this.peek() === "/") {
      const op = this.peek() as "*" | "/";
      this.pos++;
      const ast = this.factor();
      if (ast === undefined) return undefined;
      factors.push({ op, ast });
    }
    return factors.length === 1 ? first : { kind: "product", factors };
  }

  private factor(): Ast | undefined {
    const rest = this.text.slice(this.pos);
    const num = /^[0-9]+/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { kind: "num", value: Number(num[0]) };
    }
    if (this.peek() === "(") {
      this.pos++;
      const inner = this.sum();
      if (inner === undefined || this.peek() !== ")") return undefined;
      this.pos++;
      return inner;
    }
    const unknown = /^\?[A-Za-z0-9_.:]+/.exec(rest);
    if (unknown) {
      this.pos += unknown[0].length;
      return { kind: "atom", text: unknown[0] };
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (!ident) return undefined;
    this.pos += ident[0].length;
    if (this.peek() !== "(") return { kind: "atom", text: ident[0] };
    const start = this.pos - ident[0].length;
    this.pos++;
    const args: Ast[] = [];
    for (;;) {
      const arg = this.sum();
      if (arg === undefined) return undefined;
      args.push(arg);
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      if (this.peek() !== ")") return undefined;
      this.pos++;
      break;
    }
    return { kind: "atom", text: this.text.slice(start, this.pos), call: { fn: ident[0], args } };
  }
}

// ---- canonical polynomial form ---------------------------------------------------------------

/** monomial key (atoms sorted, joined by "*"; "" for the constant term) → integer coefficient */
type Poly = Map<string, number>;

function constPoly(value: number): Poly {
  return new Map([["", value]]);
}

function addInto(target: Poly, key: string, coefficient: number): void {
  const next = (target.get(key) ?? 0) + coefficient;
  if (next === 0) target.delete(key);
  else target.set(key, next);
}

function polyAdd(a: Poly, b: Poly, sign: 1 | -1 = 1): Poly {
  const out = new Map(a);
  for (const [key, c] of b) addInto(out, key, sign * c);
  return out;
}

function mulKeys(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  return [...a.split("*"), ...b.split("*")].sort().join("*");
}

function polyMul(a: Poly, b: Poly): Poly {
  const out: Poly = new Map();
  for (const [ka, ca] of a) for (const [kb, cb] of b) addInto(out, mulKeys(ka, kb), ca * cb);
  return out;
}

/** a polynomial from a parsed expression; undefined when it holds a division outside floor/ceil */
function toPoly(ast: Ast): Poly | undefined {
  switch (ast.kind) {
    case "num":
      return constPoly(ast.value);
    case "atom":
      return new Map([[ast.text, 1]]);
    case "sum": {
      let out: Poly = new Map();
      for (const t of ast.terms) {
        const p = toPoly(t.ast);
        if (p === undefined) return undefined;
        out = polyAdd(out, p, t.sign);
      }
      return out;
    }
    case "product": {
      let out = constPoly(1);
      for (const f of ast.factors) {
        if (f.op === "/") return undefined;
        const p = toPoly(f.ast);
        if (p === undefined) return undefined;
        out = polyMul(out, p);
      }
      return out;
    }
  }
}

function polyOf(dim: Dim): Poly {
  if (typeof dim === "number") return constPoly(dim);
  const ast = new Parser(dim).parse();
  const poly = ast === undefined ? undefined : toPoly(ast);
  // An unparseable string is kept whole, as one opaque symbol.
  return poly ?? new Map([[dim, 1]]);
}

function formatPoly(poly: Poly): Dim {
  const keys = [...poly.keys()].filter((k) => k !== "").sort();
  const constant = poly.get("") ?? 0;
  if (keys.length === 0) return constant;
  let out = "";
  for (const key of keys) {
    const c = poly.get(key)!;
    const magnitude = Math.abs(c);
    const body = magnitude === 1 ? key : `${magnitude}*${key}`;
    out += out === "" ? (c < 0 ? `-${body}` : body) : c < 0 ? `-${body}` : `+${body}`;
  }
  if (constant !== 0) out += constant < 0 ? `${constant}` : `+${constant}`;
  return out;
}

/** Canonical form of a dimension (numbers unchanged; expressions normalised). */
export function canonicalDim(dim: Dim): Dim {
  return typeof dim === "number" ? dim : formatPoly(polyOf(dim));
}

// ---- arithmetic ------------------------------------------------------------------------------

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a + b;
  return formatPoly(polyAdd(polyOf(a), polyOf(b)));
}

export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return formatPoly(polyAdd(polyOf(a), polyOf(b), -1));
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return formatPoly(polyMul(polyOf(a), polyOf(b)));
}

export function dimProduct(dims: readonly Dim[]): Dim {
  let out: Dim = 1;
  for (const d of dims) out = dimMul(out, d);
  return out;
}

function wrap(dim: Dim): string {
  const text = String(dim);
  return /^[A-Za-z0-9_?.:]+$/.test(text) || /^[a-z]+\(.*\)$/.test(text) && balancedCall(text) ? text : `(${text})`;
}

function balancedCall(text: string): boolean {
  // true when the outer parentheses of "fn(...)" enclose the whole remainder
  let depth = 0;
  const open = text.indexOf("(");
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") {
      depth--;
      if (depth === 0 && i !== text.length - 1) return false;
    }
  }
  return true;
}

/** Exact quotient when every term divides; undefined otherwise. */
export function dimExactDiv(a: Dim, b: Dim): Dim | undefined {
  if (typeof b === "number") {
    if (b === 0) return undefined;
    if (typeof a === "number") return a % b === 0 ? a / b : undefined;
    const out: Poly = new Map();
    for (const [key, c] of polyOf(a)) {
      if (c % b !== 0) return undefined;
      out.set(key, c / b);
    }
    return formatPoly(out);
  }
  const divisor = polyOf(b);
  if (divisor.size !== 1) return a === b ? 1 : undefined;
  const [[dKey, dCoef]] = [...divisor] as [[string, number]];
  const dAtoms = dKey === "" ? [] : dKey.split("*");
  const out: Poly = new Map();
  for (const [key, c] of polyOf(a)) {
    if (c % dCoef !== 0) return undefined;
    const atoms = key === "" ? [] : key.split("*");
    for (const atom of dAtoms) {
      const i = atoms.indexOf(atom);
      if (i < 0) return undefined;
      atoms.splice(i, 1);
    }
    out.set(atoms.join("*"), c / dCoef);
  }
  return formatPoly(out);
}

export function dimFloorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return Math.floor(a / b);
  return dimExactDiv(a, b) ?? `floor(${wrap(a)}/${wrap(b)})`;
}

export function dimCeilDiv(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return Math.ceil(a / b);
  return dimExactDiv(a, b) ?? `ceil(${wrap(a)}/${wrap(b)})`;
}

export function dimMin(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return Math.min(a, b);
  if (dimsEqual(a, b)) return a;
  const [x, y] = [String(canonicalDim(a)), String(canonicalDim(b))].sort();
  return `min(${x},${y})`;
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  return a === b || canonicalDim(a) === canonicalDim(b);
}

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (isUnknownDim(d) ? "?" : String(d))).join(", ")}]`;
}

// ---- evaluation ------------------------------------------------------------------------------

function evaluate(ast: Ast, bindings: Readonly<Record<string, number>>): number | undefined {
  switch (ast.kind) {
    case "num":
      return ast.value;
    case "atom": {
      if (ast.call === undefined) return bindings[ast.text];
      const args = ast.call.args.map((a) => evaluate(a, bindings));
      if (args.some((v) => v === undefined)) return undefined;
      const vals = args as number[];
      switch (ast.call.fn) {
        case "floor": return Math.floor(vals[0]!);
        case "ceil": return Math.ceil(vals[0]!);
        case "min": return Math.min(...vals);
        case "max": return Math.max(...vals);
        default: return undefined;
      }
    }
    case "sum": {
      let total = 0;
      for (const t of ast.terms) {
        const v = evaluate(t.ast, bindings);
        if (v === undefined) return undefined;
        total += t.sign * v;
      }
      return total;
    }
    case "product": {
      let total = 1;
      for (const f of ast.factors) {
        const v = evaluate(f.ast, bindings);
        if (v === undefined) return undefined;
        total = f.op === "*" ? total * v : total / v;
      }
      return total;
    }
  }
}

/**
 * The value of a dimension once its symbols are bound, e.g. evaluateDim("2*time+1", {time: 5})
 * = 11. Undefined when a symbol is unbound or the dimension is unknown.
 */
export function evaluateDim(dim: Dim, bindings: Readonly<Record<string, number>>): number | undefined {
  if (typeof dim === "number") return dim;
  if (isUnknownDim(dim)) return undefined;
  const ast = new Parser(dim).parse();
  if (ast === undefined) return bindings[dim];
  const value = evaluate(ast, bindings);
  return value === undefined || !Number.isFinite(value) ? undefined : value;
}

/** Symbols a dimension expression mentions (for binding them from actual input shapes). */
export function dimSymbols(dim: Dim): string[] {
  if (typeof dim === "number" || isUnknownDim(dim)) return [];
  const ast = new Parser(dim).parse();
  if (ast === undefined) return [dim];
  const found = new Set<string>();
  const visit = (node: Ast): void => {
    if (node.kind === "atom") {
      if (node.call) node.call.args.forEach(visit);
      else if (!node.text.startsWith("?")) found.add(node.text);
    } else if (node.kind === "sum") node.terms.forEach((t) => visit(t.ast));
    else if (node.kind === "product") node.factors.forEach((f) => visit(f.ast));
  };
  visit(ast);
  return [...found];
}
