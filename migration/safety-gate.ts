/** A command refused by a safety gate (exit code 3): what it was asked to do, and every reason it may not. */
export class SafetyGateRefusal extends Error {
  constructor(
    readonly action: string,
    readonly reasons: readonly string[],
  ) {
    super(`${action} refused:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`);
    this.name = 'SafetyGateRefusal';
  }
}
