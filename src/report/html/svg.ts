/**
 * Small SVG building blocks shared by the timeline and the state diagram: a time scale with
 * tick marks, text that fits, and a filled segment with its state written inside.
 */
import { html, type Html } from './escape.ts';
import { seconds } from './format.ts';
import type { Swatch } from './palette.ts';

export interface TimeScale {
  /** x of a scenario time, clamped to the plot */
  x(t: number): number;
  x0: number;
  x1: number;
  endMs: number;
}

/** A linear scale from [0, endMs] to [x0, x1]. */
export function timeScale(endMs: number, x0: number, x1: number): TimeScale {
  const end = Math.max(endMs, 1);
  return { x: (t) => x0 + (Math.min(Math.max(t, 0), end) / end) * (x1 - x0), x0, x1, endMs: end };
}

const STEPS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** Tick times for an axis: a round step giving at most `maxTicks` intervals, from 0 to the end. */
export function tickTimes(endMs: number, maxTicks = 12): number[] {
  const stepMs = (STEPS_S.find((step) => endMs / (step * 1000) <= maxTicks) ?? STEPS_S[STEPS_S.length - 1]!) * 1000;
  const ticks: number[] = [];
  for (let t = 0; t <= endMs + 1e-6; t += stepMs) ticks.push(t);
  return ticks;
}

/** An axis with tick labels (above or below `y`, scenario seconds unless `format` says otherwise) and faint grid lines down to `gridTo`. */
export function axis(scale: TimeScale, y: number, gridFrom: number, gridTo: number, labels: 'above' | 'below', format: (t: number) => string = seconds): Html {
  const ticks = tickTimes(scale.endMs).map((t) => {
    const x = round(scale.x(t));
    const labelY = labels === 'above' ? y - 6 : y + 14;
    return html`<line class="grid" x1="${x}" x2="${x}" y1="${gridFrom}" y2="${gridTo}"/><line class="tick" x1="${x}" x2="${x}" y1="${y - 3}" y2="${y + 3}"/><text class="tick-label" x="${x}" y="${labelY}" text-anchor="middle">${format(t)}</text>`;
  });
  return html`<g class="axis"><line class="axis-line" x1="${scale.x0}" x2="${scale.x1}" y1="${y}" y2="${y}"/>${ticks}</g>`;
}

/** Average glyph width of the 11 px sans-serif used in the SVGs (a safe overestimate). */
export const CHAR_WIDTH = 6.6;

/** Text cut with an ellipsis to fit `width` pixels. */
export function fitText(text: string, width: number): string {
  const max = Math.floor(width / CHAR_WIDTH);
  if (text.length <= max) return text;
  return max <= 1 ? '' : `${text.slice(0, max - 1)}…`;
}

/** One rounded coordinate (keeps the SVG small and stable). */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * A coloured segment of a lane, at least 2 px wide so a write of a few ms still shows, with a
 * label inside when one fits (candidates longest first) and an exact hover title.
 */
export function segmentRect(options: { x0: number; x1: number; y: number; height: number; swatch: Swatch; label: string | readonly string[]; title: string; className?: string }): Html {
  const width = Math.max(2, options.x1 - options.x0);
  const x = options.x1 - options.x0 < 2 ? options.x0 - 1 : options.x0;
  // the first label (long form first) that fits inside, else none: the title still has it
  const labels = typeof options.label === 'string' ? [options.label] : options.label;
  const text = labels.find((candidate) => candidate !== '' && width >= candidate.length * CHAR_WIDTH + 8) ?? '';
  return html`<g class="${options.className ?? 'segment'}"><title>${options.title}</title><rect x="${round(x)}" y="${options.y}" width="${round(width)}" height="${options.height}" rx="2" fill="${options.swatch.fill}"/>${
    text === '' ? '' : html`<text x="${round(x + 5)}" y="${options.y + options.height / 2 + 4}" fill="${options.swatch.ink}">${text}</text>`
  }</g>`;
}
