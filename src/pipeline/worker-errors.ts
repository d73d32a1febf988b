/**
 * Errors across a worker thread's boundary. Structured cloning keeps an Error's message but not
 * its class or fields, and the class decides the exit code (UserError 2, BackendError 3): so a
 * worker sends what it threw as plain data, and the pool rebuilds the same kind of error.
 */
import { BackendError } from '../backends/backend.ts';
import { UserError, type SourceLocation } from '../errors/user-error.ts';

export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  hint?: string;
  location?: SourceLocation;
  exitCode?: number;
}

/** What a worker sends for anything it threw. */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined };
  const serialized: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof UserError) Object.assign(serialized, { hint: error.hint, location: error.location, exitCode: error.exitCode });
  if (error instanceof BackendError) Object.assign(serialized, { hint: error.hint });
  return serialized;
}

/** The error again, of its own kind where the CLI treats that kind apart, with the worker's stack. */
export function reviveError(serialized: SerializedError): Error {
  const options = { ...(serialized.hint === undefined ? {} : { hint: serialized.hint }) };
  const error =
    serialized.name === 'UserError'
      ? new UserError(serialized.message, { ...options, ...(serialized.location ? { location: serialized.location } : {}), ...(serialized.exitCode === undefined ? {} : { exitCode: serialized.exitCode }) })
      : serialized.name === 'BackendError'
        ? new BackendError(serialized.message, options)
        : Object.assign(new Error(serialized.message), { name: serialized.name });
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
