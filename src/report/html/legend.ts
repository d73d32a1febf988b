/** The timeline's legend: the states this run showed, poll outcomes, fault targets and markers. */
import type { CheckedScenarioRun } from '../../record/run-record.ts';
import { html, type Html } from './escape.ts';
import { POLL_COLORS, stateRank, stateSwatch, targetColor, type PollClass } from './palette.ts';
import { jobTruthOf } from '../../check/job-truth.ts';

/** Every console state written and every job state the truth recorded, in diagram order. */
export function statesShown(run: Pick<CheckedScenarioRun, 'lanes' | 'apps' | 'durationMs' | 'timing'>): string[] {
  const states = new Set<string>();
  for (const lane of Object.values(run.lanes.variants)) for (const write of lane.writes) states.add(write.state);
  for (const app of run.apps) for (const segment of jobTruthOf(run, app)) states.add(segment.value);
  return [...states].sort((a, b) => stateRank(a) - stateRank(b) || a.localeCompare(b));
}

function swatch(fill: string): Html {
  return html`<span class="swatch" style="background:${fill}"></span>`;
}

const POLL_WORDS: Readonly<Record<PollClass, string>> = { ok: 'ok', refused: 'refused', timeout: 'timeout', reset: 'reset / closed', other: 'other error' };

/** The legend below the timeline. */
export function renderLegend(run: CheckedScenarioRun): Html {
  const states = statesShown(run).map((state) => html`<span>${swatch(stateSwatch(state).fill)}${state}</span>`);
  const polls = (Object.keys(POLL_WORDS) as PollClass[]).map((kind) => html`<span><span class="swatch" style="background:${POLL_COLORS[kind]};width:4px"></span>${POLL_WORDS[kind]}</span>`);
  const targets = [...new Set(run.faults.map((fault) => fault.spec.target))].sort().map((target) => html`<span>${swatch(targetColor(target).band)}${target} fault</span>`);
  return html`<div class="legend" aria-label="legend">
<span class="group"><span class="group-name">states</span>${states}</span>
<span class="group"><span class="group-name">polls</span>${polls}<span class="muted">(upper row: API server, lower: Flink REST)</span></span>
<span class="group"><span class="group-name">marks</span>${targets}<span><svg width="12" height="10" aria-hidden="true"><path d="M1 1 h10 l-5 7 z" fill="#d33f3f"/></svg> alert</span><span>${swatch('#7a0f0f')}underline: lie</span><span>${swatch('#e08a00')}underline: false alarm</span><span><svg width="12" height="12" aria-hidden="true"><path d="M6 0 l6 6 l-6 6 l-6 -6 z" fill="#3a3f47"/></svg> action (bar: downtime)</span><span><svg width="18" height="10" aria-hidden="true"><line x1="0" x2="18" y1="5" y2="5" stroke="#2f5fb3" stroke-dasharray="6 3" stroke-width="2"/></svg> world settled</span><span>✓ ✗ · ? verdict</span></span>
</div>`;
}
