/**
 * The one error type this folder throws for failures a user can act on: Toxiproxy missing or dead,
 * a fault it cannot apply, a leftover toxic. The message says what, where, and what to do; the
 * original error, if any, is kept as `cause`.
 */
export class FaultInjectionError extends Error {
  override name = 'FaultInjectionError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
