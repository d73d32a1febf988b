import { attributeUnit, defaultAttributes, scaleAttributes, toxic, TOXIC_TYPES, type FaultSpec, type Stream, type ToxicType } from '../../../scenario/toxics.ts';
import { FaultInjectionError } from './errors.ts';

/** The body of Toxiproxy's `POST /proxies/{proxy}/toxics`. */
export interface ToxicRequest {
  name: string;
  type: Exclude<ToxicType, 'down'>;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

/**
 * Throws a FaultInjectionError naming the field and the allowed values if Toxiproxy would reject
 * the fault, silently ignore part of it (unknown attributes, toxicity > 1), or crash on it
 * (slicer with average_size 0 recurses forever; size_variation ≥ average_size slices out of range).
 */
export function validateFault(fault: FaultSpec): void {
  const where = `fault on \`${String(fault.target)}\``;
  if (!(TOXIC_TYPES as readonly string[]).includes(fault.toxic)) {
    throw new FaultInjectionError(`${where}: expected \`toxic\` to be one of ${TOXIC_TYPES.join(', ')}, got ${JSON.stringify(fault.toxic)}`);
  }
  if (fault.stream !== 'upstream' && fault.stream !== 'downstream') {
    throw new FaultInjectionError(`${where}: expected \`stream\` to be upstream or downstream, got ${JSON.stringify(fault.stream)}`);
  }
  if (typeof fault.toxicity !== 'number' || !(fault.toxicity >= 0 && fault.toxicity <= 1)) {
    throw new FaultInjectionError(`${where}: expected \`toxicity\` to be a number in [0, 1], got ${String(fault.toxicity)} (${typeof fault.toxicity})`);
  }
  if (fault.toxic === 'down' && fault.toxicity !== 1) {
    throw new FaultInjectionError(`${where}: \`down\` disables the whole proxy and has no toxicity; got toxicity ${fault.toxicity}, use 1 (or a reset_peer/timeout toxic with a toxicity)`);
  }
  const allowed = Object.keys(toxic(fault.toxic).attributes);
  for (const [name, value] of Object.entries(fault.attributes)) {
    if (!allowed.includes(name)) {
      const hint = allowed.length === 0 ? `${fault.toxic} takes no attributes` : `allowed: ${allowed.join(', ')}`;
      throw new FaultInjectionError(`${where}: unknown attribute \`${name}\` for toxic ${fault.toxic} (${hint})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new FaultInjectionError(`${where}: expected attribute \`${name}\` to be a non-negative number, got ${String(value)} (${typeof value})`);
    }
    // Durations and rate are rounded after scaling; sizes must already be whole bytes.
    const rounded = attributeUnit(fault.toxic, name) !== 'bytes';
    if (!rounded && !Number.isInteger(value)) {
      throw new FaultInjectionError(`${where}: expected attribute \`${name}\` to be a whole number of bytes, got ${value}`);
    }
  }
  const problem = toxic(fault.toxic).invalid?.({ ...defaultAttributes(fault.toxic), ...fault.attributes });
  if (problem !== undefined) throw new FaultInjectionError(`${where}: ${problem}`);
}

/** Builds the toxic for Toxiproxy: every attribute explicit (missing ones are 0, as Toxiproxy would take them), time-scaled. */
export function toxicRequest(fault: FaultSpec, name: string, timeScale: number): ToxicRequest {
  if (fault.toxic === 'down') throw new FaultInjectionError('`down` is not a toxic: it disables the proxy');
  let attributes: Record<string, number>;
  try {
    attributes = scaleAttributes(fault.toxic, { ...defaultAttributes(fault.toxic), ...fault.attributes }, timeScale);
  } catch (error) {
    throw new FaultInjectionError((error as Error).message);
  }
  return { name, type: fault.toxic, stream: fault.stream, toxicity: fault.toxicity, attributes };
}
