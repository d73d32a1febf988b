/** The timeline's legend: the states this run showed, poll outcomes, fault targets and markers. */
import type { CheckedScenarioRun } from '../../record/run-record.ts';
import { html, type Html } from './escape.ts';
import { consoleSwatch, jobSwatch, POLL_COLORS, stateRank, targetColor, type PollClass, type Swatch } from './palette.ts';
import { jobTruthOf } from '../../check/job-truth.ts';
import { systemOf } from '../../record/tracker-info.ts';
import { FLINK_JOB_STATUS } from '../../systems/flink.ts';
import type { StateMeaning } from '../../systems/system.ts';

/** Every console state written and every job state the truth recorded, with its colour, in diagram order. */
export function statesShown(run: Pick<CheckedScenarioRun, 'lanes' | 'apps' | 'durationMs' | 'timing' | 'trackers'>): { state: string; swatch: Swatch }[] {
  const states = new Map<string, { meaning: StateMeaning; swatch: Swatch }>();
  for (const [variant, lane] of Object.entries(run.lanes.variants)) {
    const system = systemOf(run, variant);
    for (const write of lane.writes) if (!states.has(write.state)) states.set(write.state, { meaning: system.meaning(write.state), swatch: consoleSwatch(system, write.state) });
  }
  for (const app of run.apps) for (const segment of jobTruthOf(run, app)) if (!states.has(segment.value)) states.set(segment.value, { meaning: FLINK_JOB_STATUS.meaning(segment.value), swatch: jobSwatch(segment.value) });
  return [...states].sort(([a, first], [b, second]) => stateRank(first.meaning) - stateRank(second.meaning) || a.localeCompare(b)).map(([state, { swatch }]) => ({ state, swatch }));
}

function swatch(fill: string): Html {
  return html`<span class="swatch" style="background:${fill}"></span>`;
}

const POLL_WORDS: Readonly<Record<PollClass, string>> = { ok: 'ok', refused: 'refused', timeout: 'timeout', reset: 'reset / closed', other: 'other error' };

/** The legend below the timeline. */
export function renderLegend(run: CheckedScenarioRun): Html {
  const states = statesShown(run).map(({ state, swatch: colour }) => html`<span>${swatch(colour.fill)}${state}</span>`);
  const polls = (Object.keys(POLL_WORDS) as PollClass[]).map((kind) => html`<span><span class="swatch" style="background:${POLL_COLORS[kind]};width:4px"></span>${POLL_WORDS[kind]}</span>`);
  const targets = [...new Set(run.faults.map((fault) => fault.spec.target))].sort().map((target) => html`<span>${swatch(targetColor(target).band)}${target} fault</span>`);
  return html`<div class="legend" aria-label="legend">
<span class="group"><span class="group-name">states</span>${states}</span>
<span class="group"><span class="group-name">polls</span>${polls}<span class="muted">(upper row: API server, lower: Flink REST)</span></span>
<span class="group"><span class="group-name">marks</span>${targets}<span><svg width="12" height="10" aria-hidden="true"><path d="M1 1 h10 l-5 7 z" fill="#d33f3f"/></svg> alert</span><span>${swatch('#7a0f0f')}underline: lie</span><span>${swatch('#e08a00')}underline: false alarm</span><span><svg width="12" height="12" aria-hidden="true"><path d="M6 0 l6 6 l-6 6 l-6 -6 z" fill="#3a3f47"/></svg> action (bar: downtime)</span><span><svg width="18" height="10" aria-hidden="true"><line x1="0" x2="18" y1="5" y2="5" stroke="#2f5fb3" stroke-dasharray="6 3" stroke-width="2"/></svg> world settled</span><span>✓ ✗ · ? verdict</span></span>
</div>`;
}
