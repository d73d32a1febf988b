/**
 * Expected against observed, per variant: the expectation's pattern and rules, the trace as the
 * checker saw it (ignored states dropped, repeats collapsed) with the point of divergence
 * marked, and the checker's failure messages.
 */
import { normalizeTrace } from '../../scenario/trace-pattern.ts';
import type { Result, CheckedScenarioRun } from '../../record/run-record.ts';
import type { Expectation } from '../../scenario/types.ts';
import { html, joinHtml, type Html } from './escape.ts';
import { seconds } from './format.ts';
import { VERDICT_STYLES, consoleSwatch } from './palette.ts';
import { systemOf } from '../../record/tracker-info.ts';
import type { TrackerSystem } from '../../systems/system.ts';

export type StepRole = 'matched' | 'diverged' | 'after' | 'missing';

export interface TraceStep {
  state: string;
  role: StepRole;
}

/**
 * The checked trace as steps: those before the divergence matched, the one at it diverged, the
 * rest came after; when the trace ended too early, a `missing` step names what was expected.
 */
export function traceSteps(trace: readonly string[], divergence: Result['divergence']): TraceStep[] {
  if (divergence === undefined) return trace.map((state) => ({ state, role: 'matched' }));
  const steps: TraceStep[] = trace.map((state, index): TraceStep => ({ state, role: index < divergence.index ? 'matched' : index === divergence.index ? 'diverged' : 'after' }));
  if (divergence.index >= trace.length) steps.push({ state: divergence.expected.join(' | ') || 'nothing more', role: 'missing' });
  return steps;
}

/** The divergence in words: `at step 3 expected RUNNING, got FAILED` / `… but the trace ends`. */
export function divergenceText(divergence: NonNullable<Result['divergence']>): string {
  const expected = divergence.expected.length === 0 ? 'nothing more' : divergence.expected.join(' or ');
  const got = divergence.got === undefined ? 'the trace ends there' : `got ${divergence.got}`;
  return `at step ${divergence.index + 1} expected ${expected}, ${got}`;
}

function chip(step: TraceStep, system: TrackerSystem): Html {
  const swatch = consoleSwatch(system, step.state);
  if (step.role === 'missing') return html`<span class="chip missing" title="expected here, but the trace ends">expected ${step.state}</span>`;
  const title = step.role === 'diverged' ? 'the trace left the expected pattern here' : step.role === 'after' ? 'after the divergence' : '';
  return html`<span class="chip ${step.role}" style="background:${swatch.fill};color:${swatch.ink}"${title ? html` title="${title}"` : ''}>${step.role === 'diverged' ? '✗ ' : ''}${step.state}</span>`;
}

/** A trace as state chips joined by arrows. */
export function renderSteps(steps: readonly TraceStep[], system: TrackerSystem): Html {
  if (steps.length === 0) return html`<span class="muted">(no writes)</span>`;
  return html`<span class="trace">${joinHtml(steps.map((step) => chip(step, system)), html`<span class="arrow">→</span>`)}</span>`;
}

function rules(expectation: Expectation): Html {
  const items: Html[] = [];
  if (expectation.trace !== undefined) items.push(html`<code class="pattern">${expectation.trace}</code>`);
  if (expectation.ignore.length > 0) items.push(html`<span class="rule">ignore ${expectation.ignore.join(', ')}</span>`);
  if (expectation.final !== undefined) items.push(html`<span class="rule">final ${expectation.final}</span>`);
  if (expectation.never.length > 0) items.push(html`<span class="rule">never ${expectation.never.join(', ')}</span>`);
  if (expectation.withinMs !== undefined) items.push(html`<span class="rule">settles within ${seconds(expectation.withinMs)}</span>`);
  if (expectation.maxAlerts !== undefined) items.push(html`<span class="rule">at most ${expectation.maxAlerts} alert(s)</span>`);
  for (const oracle of expectation.oracles ?? []) items.push(html`<span class="rule">${oracle.name}${oracle.boundMs === undefined ? '' : ` (${seconds(oracle.boundMs)})`}</span>`);
  return items.length === 0 ? html`<span class="muted">no rules</span>` : joinHtml(items, ' ');
}

/** One row of the comparison table. */
export function renderComparisonRow(run: CheckedScenarioRun, result: Result): Html {
  const expectation = run.expect[result.variant];
  const style = VERDICT_STYLES[result.verdict];
  const lane = run.lanes.variants[result.variant];
  const states = (lane?.writes ?? []).filter((write) => write.app === result.app).map((write) => write.state);
  const ignore = expectation?.ignore ?? [];
  const checked = normalizeTrace(states, ignore);
  const full = normalizeTrace(states);
  const name = run.apps.length > 1 ? `${result.variant} · ${result.app}` : result.variant;
  const divergence = result.divergence
    ? html`<div class="divergence">${divergenceText(result.divergence)}</div>`
    : '';
  const fullTrace = ignore.length > 0 && full.join() !== checked.join()
    ? html`<div class="full-trace muted">all writes: ${full.join(' → ')} <span>(ignoring ${ignore.join(', ')})</span></div>`
    : '';
  const failures = result.failures.length > 0 ? html`<ul class="failures">${result.failures.map((failure) => html`<li>${failure}</li>`)}</ul>` : '';
  return html`<tr class="verdict-row verdict-${result.verdict}" data-variant="${result.variant}">
<td><span class="badge" style="background:${style.swatch.fill};color:${style.swatch.ink}">${style.symbol} ${style.word}</span></td>
<th scope="row">${name}</th>
<td>${expectation ? rules(expectation) : html`<span class="muted">no expectation</span>`}</td>
<td>${renderSteps(traceSteps(checked, result.divergence), systemOf(run, result.variant))}${divergence}${fullTrace}${failures}</td>
<td class="num">${result.alerts}</td>
</tr>`;
}

/** The comparison table for a scenario run. */
export function renderComparison(run: CheckedScenarioRun, results: readonly Result[]): Html {
  if (results.length === 0) return html`<p class="muted">No results for this scenario.</p>`;
  return html`<table class="comparison">
<thead><tr><th>verdict</th><th>variant</th><th>expected</th><th>observed (as checked)</th><th>alerts</th></tr></thead>
<tbody>${results.map((result) => renderComparisonRow(run, result))}</tbody>
</table>`;
}
