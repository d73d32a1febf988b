/**
 * An explanation beside the incident, as one SVG on the timeline's time scale and on the
 * incident's clock: what the engineer saw (the observed times with their tolerance, the end of
 * the observation), what the tracker showed in the explanation, and each known fact as the window
 * it constrains, with the schedule's events drawn inside the fact they are — and, apart, the
 * events nobody knew of that the search added.
 */
import type { IncidentRecord, ExplanationRecord } from '../../record/reproduce-record.ts';
import type { CheckedScenarioRun } from '../../record/run-record.ts';
import { consoleSegments } from '../../check/segments.ts';
import { clockTime } from '../../scenario/incident-clock.ts';
import { html, type Html } from './escape.ts';
import { systemOf } from '../../record/tracker-info.ts';
import { consoleSwatch, targetColor } from './palette.ts';
import { axis, fitText, round, segmentRect, timeScale, type TimeScale } from './svg.ts';
import { TIMELINE_GEOMETRY } from './timeline.ts';

const { width: WIDTH, x0: X0, x1: X1 } = TIMELINE_GEOMETRY;
const ROW = 24;

function label(text: string, y: number, className = 'lane-label'): Html {
  return html`<text class="${className}" x="${X0 - 10}" y="${y + 13}" text-anchor="end"><title>${text}</title>${fitText(text, X0 - 16)}</text>`;
}

/** The schedule's events of one row: faults as bars, actions as diamonds with their downtime. */
function eventMarks(run: CheckedScenarioRun, indexes: readonly number[], scale: TimeScale, y: number, on: (ms: number) => string): Html[] {
  const marks: Html[] = [];
  for (const index of indexes) {
    const fault = run.faults.find((candidate) => candidate.id === `fault-${index}`);
    if (fault !== undefined) {
      const until = fault.untilMs ?? run.durationMs;
      const colors = targetColor(fault.spec.target);
      const x0 = scale.x(fault.atMs);
      const x1 = scale.x(until);
      marks.push(html`<g><title>${`${fault.spec.target} ${fault.spec.toxic} ${JSON.stringify(fault.spec.attributes)}, ${on(fault.atMs)} – ${on(until)}`}</title><rect x="${round(x0)}" y="${y + 4}" width="${round(Math.max(2, x1 - x0))}" height="12" rx="2" fill="${colors.band}" stroke="${colors.edge}"/><text x="${round(x0 + 4)}" y="${y + 14}" fill="${colors.ink}">${fitText(`${fault.spec.target} ${fault.spec.toxic}`, x1 - x0 - 6)}</text></g>`);
      continue;
    }
    const action = run.actions.find((candidate) => candidate.id === `action-${index}`);
    if (action === undefined) continue;
    const x = round(scale.x(action.atMs));
    const downtime = action.downtimeMs ? html`<rect class="downtime" x="${x}" y="${y + 15}" width="${round(Math.max(1, scale.x(action.atMs + action.downtimeMs) - x))}" height="4"/>` : '';
    const what = `${action.action}${action.reason ? ` (${action.reason})` : ''}`;
    marks.push(html`<g class="action"><title>${`${what} at ${on(action.atMs)}${action.downtimeMs ? `, away until ${on(action.atMs + action.downtimeMs)}` : ''}`}</title>${downtime}<path d="M${x} ${y + 3} l6 7 l-6 7 l-6 -7 z"/><text x="${x + 9}" y="${y + 14}">${fitText(what, X1 - x - 12)}</text></g>`);
  }
  return marks;
}

export function renderIncidentStrip(incident: IncidentRecord, explanation: ExplanationRecord, run: CheckedScenarioRun): Html {
  const scale = timeScale(run.durationMs, X0, X1);
  const on = (ms: number) => clockTime(incident.clock, ms);
  const system = systemOf(run, explanation.tracker);
  const rows: Html[] = [];
  let y = 30;

  // what the engineer saw
  const end = round(scale.x(incident.endMs));
  const times = incident.observed.times.map((time) => {
    const x = round(scale.x(time.atMs));
    const swatch = consoleSwatch(system, time.state);
    return html`<g><title>${`${time.state} seen at about ${on(time.atMs)} (± ${Math.round(time.toleranceMs / 1000)} s)`}</title><line x1="${round(scale.x(time.atMs - time.toleranceMs))}" x2="${round(scale.x(time.atMs + time.toleranceMs))}" y1="${y + 10}" y2="${y + 10}" stroke="${swatch.fill}" stroke-width="3"/><path d="M${x} ${y + 2} l7 8 l-7 8 l-7 -8 z" fill="${swatch.fill}"/><text x="${x + 10}" y="${y + 14}">${time.state}</text></g>`;
  });
  const seen = times.length > 0 ? times : [html`<text class="muted" x="${X0 + 4}" y="${y + 14}">${fitText(`${incident.observed.trace} (no times given)`, end - X0 - 8)}</text>`];
  rows.push(html`${label('you saw', y, 'lane-label variant-label')}${seen}`);
  y += ROW;

  // what the tracker showed in the explanation, to the end of the observation
  const lane = run.lanes.variants[explanation.tracker];
  const segments = lane === undefined ? [] : consoleSegments(lane, incident.observed.job, incident.endMs).map((segment) => segmentRect({ x0: scale.x(segment.from), x1: scale.x(segment.to), y, height: 18, swatch: consoleSwatch(system, segment.value), label: segment.value, title: `${explanation.tracker}: ${segment.value}, ${on(segment.from)} – ${on(segment.to)}` }));
  rows.push(html`${label(`${explanation.tracker} here`, y, 'lane-label variant-label')}${segments}`);
  y += ROW + 8;

  // each known fact as the window it constrains, with the events that are it
  incident.known.forEach((fact, index) => {
    const x0 = scale.x(fact.fromMs);
    const x1 = scale.x(Math.min(fact.toMs, run.durationMs));
    const events = explanation.eventFacts.flatMap((owner, event) => (owner === index ? [event] : []));
    const band = html`<rect x="${round(x0)}" y="${y + 1}" width="${round(Math.max(2, x1 - x0))}" height="18" rx="3" fill="#eef1f6" stroke="#8a97ab" ${fact.sure ? '' : html`stroke-dasharray="4 3"`}><title>${`known: ${fact.label}, ${fact.sure ? 'sure' : 'maybe'}, between ${on(fact.fromMs)} and ${on(fact.toMs)}`}</title></rect>`;
    rows.push(html`${label(`${fact.label}${fact.sure ? '' : ' (maybe)'}`, y)}${band}${eventMarks(run, events, scale, y, on)}${events.length === 0 ? html`<text class="muted" x="${round(x0 + 4)}" y="${y + 14}">not in this schedule</text>` : ''}`);
    y += ROW;
  });
  const unknown = explanation.eventFacts.flatMap((owner, event) => (owner === null ? [event] : []));
  rows.push(html`${label('not known (added)', y)}${unknown.length > 0 ? eventMarks(run, unknown, scale, y, on) : html`<text class="muted" x="${X0 + 4}" y="${y + 14}">none</text>`}`);
  y += ROW;

  const bottom = y + 4;
  const endLine = html`<g class="settled"><title>${`the end of the observation: ${on(incident.endMs)}`}</title><line x1="${end}" x2="${end}" y1="20" y2="${bottom}"/><text x="${end + 4}" y="${bottom - 4}">last looked</text></g>`;
  return html`<svg class="timeline incident-strip" viewBox="0 0 ${WIDTH} ${bottom + 24}" width="100%" role="img" aria-label="${`the incident beside ${explanation.name}`}">
<title>${`What you saw and knew, beside ${explanation.name}`}</title>
${axis(scale, 20, 20, bottom, 'above', on)}
${rows}
${endLine}
${axis(scale, bottom + 4, bottom, bottom, 'below', on)}
</svg>`;
}
