/** Spans of scenario time and the set operations the oracles build their windows from. */

export interface Span {
  from: number;
  to: number;
}

/** Spans merged where they overlap or touch, in time order. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.to > span.from).sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ from: span.from, to: span.to });
  }
  return merged;
}

/** Where both sets of spans hold. */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const found: Span[] = [];
  for (const x of union(a)) for (const y of union(b)) if (Math.min(x.to, y.to) > Math.max(x.from, y.from)) found.push({ from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) });
  return union(found);
}

/** Where `spans` do not reach within [0, endMs). */
export function complement(spans: readonly Span[], endMs: number): Span[] {
  const gaps: Span[] = [];
  let at = 0;
  for (const span of union(spans)) {
    if (span.from > at) gaps.push({ from: at, to: Math.min(span.from, endMs) });
    at = Math.max(at, span.to);
  }
  if (at < endMs) gaps.push({ from: at, to: endMs });
  return gaps.filter((gap) => gap.to > gap.from);
}

/** How much of [from, to) the spans cover. */
export function coveredWithin(spans: readonly Span[], from: number, to: number): number {
  return union(spans).reduce((sum, span) => sum + Math.max(0, Math.min(span.to, to) - Math.max(span.from, from)), 0);
}

/** Is `t` inside one of the spans (from inclusive, to exclusive)? */
export function within(spans: readonly Span[], t: number): boolean {
  return spans.some((span) => span.from <= t && t < span.to);
}
