/**
 * The listener's state diagram as this run exercised it: console states as nodes, the
 * transitions each variant's writes went through as arrows with counts. One small SVG per
 * variant (and application), all with the same node layout so they compare at a glance:
 * forward transitions (to a state further right) arc above, backward ones below.
 */
import type { CheckedScenarioRun, VariantLane } from '../../record/run-record.ts';
import { html, type Html } from './escape.ts';
import { consoleSwatch, stateRank } from './palette.ts';
import { systemOf } from '../../record/tracker-info.ts';
import type { TrackerSystem } from '../../systems/system.ts';
import { CHAR_WIDTH, round } from './svg.ts';

export interface Transition {
  from: string;
  to: string;
  count: number;
}

export interface StateWalk {
  /** the first state written (the start) */
  initial: string | undefined;
  /** how many writes each state got, repeats included */
  writes: Map<string, number>;
  /** changes of state, counted, in order of first occurrence */
  transitions: Transition[];
}

/** The states and transitions one application's console went through, from a variant's writes. */
export function stateWalk(lane: Pick<VariantLane, 'writes'>, app: string): StateWalk {
  const writes = new Map<string, number>();
  const transitions: Transition[] = [];
  let previous: string | undefined;
  let initial: string | undefined;
  for (const write of lane.writes) {
    if (write.app !== app) continue;
    writes.set(write.state, (writes.get(write.state) ?? 0) + 1);
    if (previous === undefined) initial = write.state;
    else if (previous !== write.state) {
      const known = transitions.find((transition) => transition.from === previous && transition.to === write.state);
      if (known) known.count++;
      else transitions.push({ from: previous, to: write.state, count: 1 });
    }
    previous = write.state;
  }
  return { initial, writes, transitions };
}

/** The node order shared by all diagrams of a scenario: every state any variant wrote, by rank (what it means to the first lane that wrote it). */
export function diagramStates(run: Pick<CheckedScenarioRun, 'lanes' | 'trackers'>): string[] {
  const ranks = new Map<string, number>();
  for (const [variant, lane] of Object.entries(run.lanes.variants)) {
    const system = systemOf(run, variant);
    for (const write of lane.writes) if (!ranks.has(write.state)) ranks.set(write.state, stateRank(system.meaning(write.state)));
  }
  return [...ranks.keys()].sort((a, b) => ranks.get(a)! - ranks.get(b)! || a.localeCompare(b));
}

const NODE_HEIGHT = 24;

/** One variant's diagram over the shared node layout. */
export function renderDiagram(walk: StateWalk, states: readonly string[], id: string, system: TrackerSystem): Html {
  const nodeWidth = Math.max(70, ...states.map((state) => state.length * CHAR_WIDTH + 18));
  const gap = 34;
  const left = 22;
  const centers = new Map(states.map((state, index) => [state, left + nodeWidth / 2 + index * (nodeWidth + gap)]));
  const lift = (from: string, to: string) => 16 + 16 * Math.abs(states.indexOf(to) - states.indexOf(from));
  const maxLift = Math.max(16, ...walk.transitions.map((transition) => lift(transition.from, transition.to)));
  const middle = maxLift / 2 + 16 + NODE_HEIGHT / 2;
  const width = left + states.length * (nodeWidth + gap);
  const height = middle + NODE_HEIGHT / 2 + maxLift / 2 + 28;
  const top = middle - NODE_HEIGHT / 2;
  const bottom = middle + NODE_HEIGHT / 2;

  const edges = walk.transitions.map((transition) => {
    const x1 = centers.get(transition.from)!;
    const x2 = centers.get(transition.to)!;
    const forward = x2 > x1;
    const y = forward ? top : bottom;
    const sx = x1 + (forward ? 8 : -8);
    const ex = x2 + (forward ? -8 : 8);
    const cy = y + (forward ? -1 : 1) * lift(transition.from, transition.to);
    const apexY = (y + cy) / 2;
    return html`<g class="edge"><title>${`${transition.from} → ${transition.to}: ${transition.count}×`}</title><path d="M${round(sx)} ${y} Q${round((sx + ex) / 2)} ${round(cy)} ${round(ex)} ${y}" marker-end="url(#${id}-arrow)"/><text x="${round((sx + ex) / 2)}" y="${round(apexY + (forward ? -3 : 11))}" text-anchor="middle">${transition.count}×</text></g>`;
  });
  const nodes = states.map((state) => {
    const cx = centers.get(state)!;
    const count = walk.writes.get(state) ?? 0;
    const swatch = consoleSwatch(system, state);
    const visited = count > 0;
    return html`<g class="${visited ? 'node' : 'node unvisited'}"><title>${visited ? `${state}: written ${count}×` : `${state}: not written by this variant`}</title><rect x="${round(cx - nodeWidth / 2)}" y="${round(top)}" width="${round(nodeWidth)}" height="${NODE_HEIGHT}" rx="12" fill="${visited ? swatch.fill : '#ffffff'}"/><text x="${round(cx)}" y="${round(middle + 4)}" text-anchor="middle" fill="${visited ? swatch.ink : '#8a8f98'}">${state}</text>${
      visited ? html`<text class="writes" x="${round(cx)}" y="${round(height - 6)}" text-anchor="middle">${count === 1 ? '1 write' : `${count} writes`}</text>` : ''
    }</g>`;
  });
  const start = walk.initial === undefined ? '' : html`<g class="start"><title>${`starts in ${walk.initial}`}</title><circle cx="${round(centers.get(walk.initial)! - nodeWidth / 2 - 12)}" cy="${round(middle)}" r="4"/><line x1="${round(centers.get(walk.initial)! - nodeWidth / 2 - 8)}" x2="${round(centers.get(walk.initial)! - nodeWidth / 2 - 1)}" y1="${round(middle)}" y2="${round(middle)}"/></g>`;
  return html`<svg class="diagram" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" height="${round(height)}" role="img" aria-label="state diagram">
<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>
${edges}${nodes}${start}</svg>`;
}

/** All diagrams of a scenario run, one figure per variant and application. */
export function renderDiagrams(run: CheckedScenarioRun, variants: readonly string[]): Html {
  const states = diagramStates(run);
  if (states.length === 0) return html`<p class="muted">No console writes were recorded.</p>`;
  let index = 0;
  const figures = variants.flatMap((variant) => {
    const lane = run.lanes.variants[variant];
    if (lane === undefined) return [];
    return run.apps.map((app) => {
      const walk = stateWalk(lane, app);
      const name = run.apps.length > 1 ? `${variant} · ${app}` : variant;
      const total = walk.transitions.reduce((sum, transition) => sum + transition.count, 0);
      return html`<figure class="diagram-figure"><figcaption><strong>${name}</strong> <span class="muted">${total === 1 ? '1 transition' : `${total} transitions`}</span></figcaption>${renderDiagram(walk, states, `diagram-${index++}`, systemOf(run, variant))}</figure>`;
    });
  });
  return html`<div class="diagrams">${figures}</div>`;
}
