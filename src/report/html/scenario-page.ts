/**
 * One scenario run's page: who lied and why at the top, then the timeline, expected against
 * observed, the state diagrams, the evidence that each fault took effect, and every event.
 */
import type { Result, RunRecord, CheckedScenarioRun } from '../../record/run-record.ts';
import { renderDiagrams } from './diagram.ts';
import { html, scriptJson, type Html } from './escape.ts';
import { EVENT_FILTER_SCRIPT, mergeEvents, renderEventTable } from './events.ts';
import { renderComparison } from './expectations.ts';
import { seconds, span, wallTime } from './format.ts';
import { renderLegend } from './legend.ts';
import { renderLieSummary } from './lie-summary.ts';
import { renderPage } from './page.ts';
import { VERDICT_STYLES } from './palette.ts';
import { renderTimeline } from './timeline.ts';

/** The results that belong to a scenario run (same name and seed). */
export function resultsOf(record: Pick<RunRecord, 'results'>, run: Pick<CheckedScenarioRun, 'name' | 'seed'>): Result[] {
  return record.results.filter((result) => result.scenario === run.name && result.seed === run.seed);
}

function verdictBadges(run: CheckedScenarioRun, results: readonly Result[]): Html {
  const badges = results.map((result) => {
    const style = VERDICT_STYLES[result.verdict];
    const name = run.apps.length > 1 ? `${result.variant} · ${result.app}` : result.variant;
    return html`<span class="badge" style="background:${style.swatch.fill};color:${style.swatch.ink}" title="${`${name}: ${style.word}`}">${style.symbol} ${name}</span>`;
  });
  return html`<div class="badges" aria-label="verdicts">${badges}</div>`;
}

function evidenceTable(run: CheckedScenarioRun): Html {
  const items = [
    ...run.faults.map((fault) => ({ id: fault.id, what: `${fault.name} (${fault.spec.target} ${fault.spec.toxic}, ${span(fault.atMs, fault.untilMs ?? run.durationMs)})` })),
    ...run.actions.map((action) => ({ id: action.id, what: `${action.name} at ${seconds(action.atMs)}${action.reason ? ` (${action.reason})` : ''}` })),
  ];
  if (items.length === 0) return html`<p class="muted">This scenario has no faults or actions (a control run).</p>`;
  const rows = items.map(({ id, what }) => {
    const seen = run.evidence[id] ?? [];
    return html`<tr><td><code>${id}</code></td><td>${what}</td><td>${seen.length === 0 ? html`<strong class="divergence">no evidence that it took effect: results are inconclusive</strong>` : html`<ul>${seen.map((line) => html`<li>${line}</li>`)}</ul>`}</td></tr>`;
  });
  return html`<table class="evidence"><thead><tr><th>id</th><th>fault or action</th><th>what showed it took effect</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function problems(run: CheckedScenarioRun): Html {
  const error = run.error === undefined ? '' : html`<div class="error-box"><strong>The backend failed during this run:</strong> ${run.error}</div>`;
  const warnings = run.warnings.length === 0 ? '' : html`<div class="warnings"><strong>Warnings</strong><ul>${run.warnings.map((warning) => html`<li>${warning}</li>`)}</ul></div>`;
  return html`${error}${warnings}`;
}

function metadata(record: RunRecord, run: CheckedScenarioRun): Html {
  const entries: [string, string][] = [
    ['file', run.file],
    ['seed', String(run.seed)],
    ['backend', record.backend],
    ['scenario time', `${seconds(run.durationMs)} (world settled at ${seconds(run.settledAtMs)})`],
    ['time scale', `${run.timeScale} (wall ms per scenario ms)`],
    ['wall time', `${wallTime(run.wallMs)}: setup ${wallTime(run.phases.setupMs)}, run ${wallTime(run.phases.runMs)}, teardown ${wallTime(run.phases.teardownMs)}`],
    ...(run.lateness ? [['timers', `${run.lateness.fired} fired, the latest ${seconds(run.lateness.maxMs)} late (due at ${seconds(run.lateness.worstAtMs)}; scenario time)`] as [string, string]] : []),
    ...Object.entries(run.metadata),
  ];
  return html`<dl class="meta">${entries.map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`)}</dl>`;
}

/** The complete HTML page of one scenario run. */
export function renderScenarioPage(record: RunRecord, run: CheckedScenarioRun, indexFile = 'index.html'): string {
  const results = resultsOf(record, run);
  const variants = record.variants.filter((variant) => run.lanes.variants[variant] !== undefined);
  const data = { scenario: run.name, seed: run.seed, file: run.file, results: results.map(({ variant, app, verdict, trace }) => ({ variant, app, verdict, trace })) };
  const body = html`<nav class="crumbs no-print"><a href="${indexFile}">← all scenarios</a></nav>
<h1>${run.name}</h1>
<p class="subtitle">seed ${run.seed} · ${run.file} · ${seconds(run.durationMs)} of scenario time on ${record.backend} · ${run.apps.length > 1 ? `session mode, jobs ${run.apps.join(', ')}` : `job ${run.apps[0] ?? '?'}`}</p>
${run.description ? html`<p class="description">${run.description}</p>` : ''}
${verdictBadges(run, results)}
${renderLieSummary(run, variants)}
${problems(run)}
<h2 id="timeline">Timeline</h2>
<figure class="timeline-figure">${renderTimeline(run, results, variants)}${renderLegend(run)}</figure>
<h2 id="expectations">Expected vs observed</h2>
${renderComparison(run, results)}
<h2 id="diagram">State diagram (transitions this run wrote)</h2>
${renderDiagrams(run, variants)}
<h2 id="evidence">Evidence that the faults took effect</h2>
${evidenceTable(run)}
<h2 id="metadata">Run</h2>
${metadata(record, run)}
<h2 id="events">Events</h2>
${renderEventTable(mergeEvents(run, variants), variants)}
<footer>${record.tool.name} ${record.tool.version} · run started ${record.startedAt} · re-check offline with <code>statuschaos report run.json</code></footer>
<script type="application/json" id="statuschaos-scenario">${scriptJson(data)}</script>`;
  return renderPage({ title: `${run.name} (seed ${run.seed}) · statuschaos`, body, scripts: [EVENT_FILTER_SCRIPT] });
}
