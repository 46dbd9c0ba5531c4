/**
 * Thrown by a target when a call returned but its result is malformed (no channels, lengths that
 * disagree, …). Not an AudioclassError on purpose: the harness records it as a finding.
 */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = "InvariantViolation";
  }
}
