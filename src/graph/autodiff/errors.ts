import { GraphError } from "../errors.js";

/** The autodiff pass cannot differentiate a graph as asked (unsupported op form, bad option). */
export class AutodiffError extends GraphError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { cause: options?.cause, code: options?.code ?? "AUTODIFF" });
  }
}

/** A node on the gradient path has an op without a vector-Jacobian rule. */
export class NoGradientRuleError extends AutodiffError {
  readonly opType: string;
  readonly nodeName: string;

  constructor(opType: string, nodeName: string, scope: string, supported: readonly string[]) {
    const where = scope ? ` in scope "${scope}"` : "";
    super(
      `no gradient rule for op ${opType} (used by node "${nodeName}"${where}); ` +
        `rewrite that part with supported ops, or freeze the parameters behind it. Supported: ${supported.join(", ")}`,
      { code: "AUTODIFF_NO_RULE" },
    );
    this.opType = opType;
    this.nodeName = nodeName;
  }
}
