/**
 * `statuschaos reproduce`'s page: "N explanations of your incident". First the incident as it was
 * understood (what was seen, what was true, what is known); then each explanation — its
 * mechanism, the incident beside it (incident-strip.ts), the whole timeline with every variant,
 * what would have prevented it (the fix certificate) and its scenario file — or, when nothing
 * explained it, what was tried instead.
 */
import type { ExplanationRecord, IncidentRecord, ReproduceRecord } from '../../record/reproduce-record.ts';
import type { CheckedScenarioRun, Result } from '../../record/run-record.ts';
import { clockTime } from '../../scenario/incident-clock.ts';
import { html, type Html } from './escape.ts';
import { wallTime } from './format.ts';
import { renderIncidentStrip } from './incident-strip.ts';
import { renderPage } from './page.ts';
import { VERDICT_STYLES } from './palette.ts';
import { renderTimeline } from './timeline.ts';

/** An explanation with what its section shows: the run of its scenario file and its results. */
export interface ExplanationView {
  explanation: ExplanationRecord;
  run: CheckedScenarioRun;
  results: Result[];
}

const TRUTH_WORDS: Readonly<Record<string, string>> = { running: 'kept running', finished: 'finished', failed: 'failed', canceled: 'was cancelled', unknown: 'did something nobody knows' };

function incidentSection(record: ReproduceRecord): Html {
  const { incident } = record;
  const on = (ms: number) => clockTime(incident.clock, ms);
  const facts = incident.known.map((fact) => html`<li>${fact.label} — ${fact.sure ? 'sure' : 'maybe'}, between ${on(fact.fromMs)} and ${on(fact.toMs)}</li>`);
  const times = incident.observed.times.map((time) => `${time.state} at about ${on(time.atMs)} (± ${Math.round(time.toleranceMs / 1000)} s)`);
  return html`<section class="certificate">
<p><strong>You saw</strong> ${incident.tracker ?? 'a tracker'} show <code>${incident.observed.trace}</code>${incident.observed.ignore.length > 0 ? ` (not looking at ${incident.observed.ignore.join(', ')})` : ''}${times.length > 0 ? `: ${times.join(', ')}` : ''}, up to ${on(incident.endMs)}, while the job ${TRUTH_WORDS[incident.truth] ?? incident.truth}.</p>
<p><strong>Known:</strong></p><ul>${facts.length > 0 ? facts : html`<li class="muted">nothing</li>`}${incident.never.length > 0 ? html`<li>never: ${incident.never.join(', ')}</li>` : ''}<li>${incident.nothingElse ? 'nothing else happened' : 'anything else may have happened (the search adds up to two unknown events)'}</li></ul>
</section>`;
}

function certificate(explanation: ExplanationRecord): Html {
  const judged = explanation.certificate.filter((entry) => entry.failure === undefined);
  const truthful = judged.filter((entry) => entry.showsTruth).map((entry) => entry.variant);
  const lying = judged.filter((entry) => !entry.showsTruth).map((entry) => entry.variant);
  const broken = explanation.certificate.filter((entry) => entry.failure !== undefined);
  const chip = (entry: ExplanationRecord['certificate'][number]) => {
    const style = VERDICT_STYLES[entry.failure !== undefined ? 'inconclusive' : entry.showsTruth ? 'pass' : 'fail'];
    const title = `${entry.kind === 'real' ? `StreamPark's own code${entry.version ? ` (${entry.version})` : ''}, on the local control plane: ` : ''}${entry.failure ?? entry.trace.join(' → ')}${entry.violations.length > 0 ? `; ${entry.violations.join('; ')}` : ''}`;
    return html`<span class="badge" style="background:${style.swatch.fill};color:${style.swatch.ink}" title="${title}">${style.symbol} ${entry.variant}</span>`;
  };
  const real = explanation.certificate.some((entry) => entry.kind === 'real');
  return html`<div class="certificate"><strong>What would have prevented it</strong> (the same schedule, each variant held to the truth oracles truthful and converges${real ? '; real-… is StreamPark\'s own code on the local control plane' : ''}): ${truthful.length > 0 ? html`<strong>${truthful.join(', ')}</strong> would have shown the truth` : 'no variant would have shown the truth'}${lying.length > 0 ? `; ${lying.join(', ')} would not` : ''}${broken.length > 0 ? `; no verdict for ${broken.map((entry) => `${entry.variant} (${entry.failure})`).join(', ')}` : ''}.<div class="badges">${explanation.certificate.map(chip)}</div></div>`;
}

function scheduleList(explanation: ExplanationRecord, view: ExplanationView, incident: IncidentRecord): Html {
  const on = (ms: number) => clockTime(incident.clock, ms);
  const items = explanation.eventFacts.map((owner, index) => {
    const fault = view.run.faults.find((candidate) => candidate.id === `fault-${index}`);
    const action = view.run.actions.find((candidate) => candidate.id === `action-${index}`);
    const what = fault ? `${on(fault.atMs)}–${on(fault.untilMs ?? view.run.durationMs)} ${fault.spec.target} ${fault.spec.toxic}` : action ? `${on(action.atMs)} ${action.action}${action.reason ? ` (${action.reason})` : ''}${action.downtimeMs ? `, away ${Math.round(action.downtimeMs / 1000)} s` : ''}` : '?';
    return html`<li>${what} <span class="muted">— ${owner === null ? 'not known: added by the search' : `known: ${incident.known[owner]?.label ?? ''}`}</span></li>`;
  });
  return html`<ol>${items}</ol>`;
}

function section(record: ReproduceRecord, view: ExplanationView, number: number): Html {
  const { explanation } = view;
  const on = (ms: number) => clockTime(record.incident.clock, ms);
  const steps = explanation.shown.slice(1).map((entry) => html`<li><strong>${entry.state}</strong> at ${on(entry.t)}, because <code>${entry.cause}</code></li>`);
  return html`<section class="finding" id="${explanation.name}">
<h2>${number}. ${explanation.tracker}: ${explanation.shown.map((entry) => entry.state).join(' → ')}</h2>
<ul>${steps.length > 0 ? steps : html`<li class="muted">the console never changed</li>`}</ul>
<p class="muted">Supported by ${explanation.support} schedule(s) of ${record.stats.schedules}; first in schedule ${explanation.found.schedule} after ${wallTime(explanation.found.afterMs)}; shrunk to ${explanation.events} event(s) in ${explanation.shrinkSteps} step(s).${explanation.replayed ? ' Its scenario file replays it.' : html` <strong class="divergence">Its scenario file did not replay it.</strong>`}</p>
${scheduleList(explanation, view, record.incident)}
${certificate(explanation)}
<figure class="timeline-figure">${renderIncidentStrip(record.incident, explanation, view.run)}</figure>
<figure class="timeline-figure">${renderTimeline(view.run, view.results, record.certify)}</figure>
<p><a href="${explanation.file}">${explanation.file}</a> (a scenario file, ready for the library) · <a href="${explanation.page}">its page</a></p>
</section>`;
}

function nothingFound(record: ReproduceRecord): Html {
  const { misses, traces } = record.tried;
  const traceRows = Object.entries(traces).flatMap(([tracker, list]) => list.map((entry) => html`<tr><th scope="row">${tracker}</th><td><code>${entry.trace || '(nothing)'}</code></td><td class="num">${entry.count}</td></tr>`));
  return html`<section class="lies none">
<h2>No schedule explained it</h2>
<p>In ${record.stats.schedules} schedule(s) that respect what is known, ${record.trackers.join(', ')} never wrote <code>${record.incident.observed.trace}</code> while the job ${TRUTH_WORDS[record.incident.truth] ?? record.incident.truth}${record.incident.observed.times.length > 0 ? ' at the times seen' : ''}. Of those schedules, ${misses.truth} gave the job another truth, ${misses.trace} another console trace, ${misses.times} the trace at other times.</p>
<p>Either the tracker cannot write this trace in this world (no schedule the harness can make leads there), or what is known rules the way there out — a fact, its window, <code>never</code> or <code>nothingElse</code> — or the budget was too small. A bigger budget, wider windows or fewer certainties widen the search.</p>
${traceRows.length > 0 ? html`<table class="lie-table"><thead><tr><th>tracker</th><th>what it wrote instead</th><th class="num">schedules</th></tr></thead><tbody>${traceRows}</tbody></table>` : ''}
</section>`;
}

/** The complete index.html of a reproduce run. */
export function renderReproducePage(record: ReproduceRecord, views: readonly ExplanationView[]): string {
  const count = views.length;
  const title = count === 0 ? 'No explanation of your incident' : `${count} explanation${count === 1 ? '' : 's'} of your incident`;
  const stats = record.stats;
  const body = html`<h1>${title}</h1>
<p class="subtitle">${record.incident.name} · ${record.incident.file} · seed ${record.seed} · ${stats.schedules} schedule(s) in ${wallTime(stats.elapsedMs)} (${stats.schedulesPerSecond.toFixed(1)}/s)${stats.firstExplanationMs !== undefined ? ` · first explanation after ${wallTime(stats.firstExplanationMs)}` : ''} · ${record.status}</p>
${record.incident.description ? html`<p class="description">${record.incident.description}</p>` : ''}
${incidentSection(record)}
<p class="muted">An explanation is a minimal fault schedule on the simulation, within what is known, in which the tracker writes what you saw while the job does what it did; explanations differ in why the tracker wrote each state (docs/reproduce.md).</p>
${count === 0 ? nothingFound(record) : views.map((view, index) => section(record, view, index + 1))}
<footer>${record.tool.name} ${record.tool.version} · ${record.format} · started ${record.startedAt}</footer>`;
  return renderPage({ title: `statuschaos reproduce: ${title} · ${record.incident.name}`, body });
}
