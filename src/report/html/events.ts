/**
 * The event table: every lane of a scenario run merged into one list sorted by time (faults and
 * actions, truth changes, and each variant's writes, alerts, polls and other reports), with a
 * text filter and lane checkboxes driven by a small inline script.
 */
import type { TruthEntry } from '../../record/truth.ts';
import type { CheckedScenarioRun } from '../../record/run-record.ts';
import { html, raw, type Html } from './escape.ts';
import { exactSeconds } from './format.ts';
import { jobTruthOf, podLabel } from '../../check/job-truth.ts';

/** The table's lanes, in checkbox order. */
export const EVENT_LANES = ['fault', 'action', 'truth', 'write', 'alert', 'poll', 'event'] as const;
export type EventLane = (typeof EVENT_LANES)[number];

export interface EventRow {
  t: number;
  lane: EventLane;
  /** empty for what all variants share (faults, actions, truth) */
  variant: string;
  event: string;
  detail: string;
}

function truthChanges(previous: TruthEntry | undefined, entry: TruthEntry): string[] {
  const changes: string[] = [];
  if (previous === undefined || previous.deploymentExists !== entry.deploymentExists) changes.push(`deployment ${entry.deploymentExists ? 'exists' : 'gone'}`);
  if (previous === undefined || podLabel(previous) !== podLabel(entry)) changes.push(`pod ${entry.pod ? `${entry.pod.name} ${podLabel(entry)}${entry.pod.lastTerminated ? ` (last terminated: ${entry.pod.lastTerminated})` : ''}` : 'none'}`);
  if (previous === undefined || previous.restServing !== entry.restServing) changes.push(`REST ${entry.restServing ? 'serving' : 'down'}`);
  return changes;
}

function detailOf(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([key]) => key !== 't' && key !== 'type')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/** Every lane of a run as rows sorted by time (shared lanes first at equal times, then variants in run order). */
export function mergeEvents(run: CheckedScenarioRun, variants: readonly string[]): EventRow[] {
  const rows: EventRow[] = [];
  const actions = new Map(run.actions.map((action) => [action.id, action]));
  for (const entry of run.lanes.faults) {
    if (entry.kind === 'action') {
      const action = actions.get(entry.id);
      const extra = [action?.reason ? `reason ${action.reason}` : '', action?.downtimeMs ? `downtime ${exactSeconds(action.downtimeMs)}` : '', action?.job ? `job ${action.job}` : ''].filter(Boolean);
      rows.push({ t: entry.t, lane: 'action', variant: '', event: entry.action ?? entry.name, detail: [entry.name, ...extra].join(' · ') });
    } else {
      rows.push({ t: entry.t, lane: 'fault', variant: '', event: entry.kind === 'fault.applied' ? 'fault applied' : 'fault removed', detail: `${entry.name}: ${entry.target ?? '?'} ${entry.toxic ?? '?'}` });
    }
  }
  // the world's changes and the job truth's changes (check/job-truth.ts), one row per instant
  const truthRows = new Map<number, string[]>();
  const note = (t: number, change: string) => truthRows.set(t, [...(truthRows.get(t) ?? []), change]);
  run.lanes.truth.forEach((entry, index) => {
    for (const change of truthChanges(run.lanes.truth[index - 1], entry)) note(entry.t, change);
  });
  for (const app of run.apps) for (const segment of jobTruthOf(run, app)) note(segment.from, `job ${app} ${segment.value}`);
  const firstT = Math.min(...truthRows.keys());
  for (const [t, changes] of [...truthRows].sort((a, b) => a[0] - b[0])) rows.push({ t, lane: 'truth', variant: '', event: t === firstT ? 'initially' : 'changed', detail: changes.join('; ') });
  for (const variant of variants) {
    const lane = run.lanes.variants[variant];
    if (lane === undefined) continue;
    for (const write of lane.writes) rows.push({ t: write.t, lane: 'write', variant, event: write.state, detail: `app ${write.app} · tracking ${write.tracking} · ${write.cause}` });
    for (const alert of lane.alerts) rows.push({ t: alert.t, lane: 'alert', variant, event: `alert ${alert.state}`, detail: `app ${alert.app}` });
    for (const poll of lane.polls) rows.push({ t: poll.t, lane: 'poll', variant, event: poll.call, detail: `${poll.target}: ${poll.outcome} in ${Math.round(poll.ms)} ms` });
    for (const event of lane.events) rows.push({ t: event.t, lane: 'event', variant, event: event.type, detail: detailOf(event) });
  }
  // Array.prototype.sort is stable: equal times keep the order above
  return rows.sort((a, b) => a.t - b.t);
}

/** The table with its filter controls (hidden in print). */
export function renderEventTable(rows: readonly EventRow[], variants: readonly string[]): Html {
  const counts = new Map<EventLane, number>();
  for (const row of rows) counts.set(row.lane, (counts.get(row.lane) ?? 0) + 1);
  const boxes = EVENT_LANES.filter((lane) => counts.has(lane)).map(
    (lane) => html`<label class="lane-toggle"><input type="checkbox" data-lane-toggle value="${lane}" checked> ${lane} <span class="muted">(${counts.get(lane) ?? 0})</span></label>`,
  );
  const options = variants.map((variant) => html`<option value="${variant}">${variant}</option>`);
  const body = rows.map(
    (row) => html`<tr data-lane="${row.lane}" data-variant="${row.variant}"><td class="num">${exactSeconds(row.t)}</td><td><span class="lane-tag lane-${row.lane}">${row.lane}</span></td><td>${row.variant}</td><td>${row.event}</td><td class="detail">${row.detail}</td></tr>`,
  );
  return html`<div class="filters" role="search">
<input type="search" id="event-filter" placeholder="filter, e.g. FAILED or timeout (all words must match)" aria-label="filter events" autocomplete="off">
<select id="event-variant" aria-label="variant"><option value="">all variants</option>${options}</select>
${boxes}
<span id="event-count" class="muted" aria-live="polite">${rows.length} events</span>
</div>
<div class="table-wrap"><table id="event-table" class="events">
<thead><tr><th>t</th><th>lane</th><th>variant</th><th>event</th><th>detail</th></tr></thead>
<tbody>${body}</tbody>
</table></div>`;
}

/**
 * The filter, as plain ES5 so it runs in any browser from file://: rows stay visible when their
 * lane is ticked, their variant is the chosen one (or they are shared), and their text contains
 * every word typed. It touches nothing but the table and its controls.
 */
export const EVENT_FILTER_SCRIPT: Html = raw(`(function () {
  var table = document.getElementById('event-table');
  if (!table || !table.tBodies.length) return;
  var input = document.getElementById('event-filter');
  var select = document.getElementById('event-variant');
  var count = document.getElementById('event-count');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-lane-toggle]'));
  var rows = Array.prototype.slice.call(table.tBodies[0].rows).map(function (row) {
    return { row: row, lane: row.getAttribute('data-lane') || '', variant: row.getAttribute('data-variant') || '', text: (row.textContent || '').toLowerCase() };
  });
  function apply() {
    var terms = ((input && input.value) || '').toLowerCase().split(/\\s+/).filter(function (term) { return term.length > 0; });
    var lanes = {};
    boxes.forEach(function (box) { lanes[box.value] = box.checked; });
    var variant = select ? select.value : '';
    var shown = 0;
    rows.forEach(function (item) {
      var visible = lanes[item.lane] !== false && (variant === '' || item.variant === '' || item.variant === variant) &&
        terms.every(function (term) { return item.text.indexOf(term) !== -1; });
      item.row.hidden = !visible;
      if (visible) shown += 1;
    });
    if (count) count.textContent = shown + ' of ' + rows.length + ' events';
  }
  if (input) input.addEventListener('input', apply);
  if (select) select.addEventListener('change', apply);
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  apply();
})();`);
