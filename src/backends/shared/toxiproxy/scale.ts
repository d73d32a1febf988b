import { TIME_ATTRIBUTES_MS, type ToxicType } from '../../../scenario/faults.ts';
import { FaultInjectionError } from './errors.ts';

/**
 * Returns a toxic's attributes for a run whose clock runs at `timeScale` times scenario time:
 * durations (the ms attributes in TIME_ATTRIBUTES_MS and slicer's µs `delay`) are multiplied,
 * bandwidth `rate` is divided (so a transfer takes `timeScale` times as long), the rest is kept.
 * Scaled values are rounded to integers (Toxiproxy's attributes are int64) and a non-zero value
 * never rounds to 0, because 0 means something else there (timeout 0: never close; rate 0: stall).
 */
export function scaleAttributes(toxic: ToxicType, attributes: Readonly<Record<string, number>>, timeScale: number): Record<string, number> {
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new FaultInjectionError(`Expected \`timeScale\` to be a positive finite number like 0.5, got ${String(timeScale)} (${typeof timeScale})`);
  }
  const scaled: Record<string, number> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (isDuration(toxic, name)) scaled[name] = scaleInteger(value, value * timeScale);
    else if (toxic === 'bandwidth' && name === 'rate') scaled[name] = scaleInteger(value, value / timeScale);
    else scaled[name] = value;
  }
  return scaled;
}

/** True for attributes that are durations: the ms ones and slicer's µs `delay`. */
export function isDuration(toxic: ToxicType, attribute: string): boolean {
  return TIME_ATTRIBUTES_MS[toxic].includes(attribute) || (toxic === 'slicer' && attribute === 'delay');
}

function scaleInteger(original: number, scaled: number): number {
  if (original === 0) return 0;
  return Math.max(1, Math.round(scaled));
}
