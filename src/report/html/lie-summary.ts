/**
 * The top of a scenario page: one sentence per variant that lied (or raised a false alarm),
 * saying what it showed, when, what was true, and which fault and action were under way, so a
 * reader knows within seconds who lied and why, before reading any lane.
 */
import type { CheckedScenarioRun } from '../../record/run-record.ts';
import type { ScheduledAction, ScheduledFault } from '../../scenario/types.ts';
import { html, type Html } from './escape.ts';
import { seconds, span } from './format.ts';
import { blameFor, findLies, lieToleranceMs, type Lie } from '../../check/lies.ts';
import { TRUTHFUL_POLLS } from '../../check/bounds.ts';
import { consoleSwatch, jobSwatch } from './palette.ts';
import { systemOf } from '../../record/tracker-info.ts';

/** Every lie and false alarm in a scenario run, variants in run order, each in time order. */
export function liesOf(run: CheckedScenarioRun, variants: readonly string[]): Lie[] {
  const tolerance = lieToleranceMs(run);
  return variants.flatMap((variant) => run.apps.flatMap((app) => findLies(run, variant, app, tolerance)));
}

function lengthOf(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : seconds(ms);
}

function faultPhrase(fault: ScheduledFault, run: Pick<CheckedScenarioRun, 'durationMs'>): string {
  const kind = `${fault.spec.target} ${fault.spec.toxic}`;
  const detail = fault.name === kind ? '' : `${kind}, `;
  return `'${fault.name}' (${detail}${span(fault.atMs, fault.untilMs ?? run.durationMs)})`;
}

function actionPhrase(action: ScheduledAction): string {
  return `${action.name}${action.reason ? ` (${action.reason})` : ''} at ${seconds(action.atMs)}`;
}

/** What was under way when a lie began: the network fault clause and the last action before it. */
export function blameParts(run: Pick<CheckedScenarioRun, 'faults' | 'actions' | 'durationMs'>, from: number): { fault: string; action: string | undefined } {
  const { faults, action } = blameFor(run, from);
  const active = faults.filter((fault) => fault.atMs <= from && from <= (fault.untilMs ?? run.durationMs));
  const fault = active.length > 0
    ? `during ${active.map((item) => faultPhrase(item, run)).join(' and ')}`
    : faults[0] !== undefined ? `after ${faultPhrase(faults[0], run)} had healed` : 'with no network fault';
  return { fault, action: action === undefined ? undefined : `after ${actionPhrase(action)}` };
}

/** The same as a clause: `during 'x' (apiserver timeout, 60–180 s), after restart-jobmanager at 70 s`. */
export function blameClause(run: Pick<CheckedScenarioRun, 'faults' | 'actions' | 'durationMs'>, from: number): string {
  const { fault, action } = blameParts(run, from);
  return action === undefined ? fault : `${fault}, ${action}`;
}

export interface LieParts {
  who: string;
  /** `from 95 s to the end (205 s)`, or `for 2 ms at 115 s` */
  when: string;
  /** the truth's main job state meanwhile, and the others it passed through */
  truth: string;
  alsoTrue: string[];
  blame: { fault: string; action: string | undefined };
}

/** A lie in parts, for the page to lay out; `apps` when the same lie was told about several applications. */
export function lieParts(run: Pick<CheckedScenarioRun, 'faults' | 'actions' | 'durationMs' | 'apps'>, lie: Lie, apps: readonly string[] = [lie.app]): LieParts {
  const length = lie.to - lie.from;
  return {
    who: run.apps.length > 1 ? `${lie.variant} [${apps.join(', ')}]` : lie.variant,
    when: lie.kind === 'false alarm'
      ? `for ${lengthOf(length)} at ${seconds(lie.from)}`
      : `from ${seconds(lie.from)} ${lie.toEnd ? `to the end (${lengthOf(length)})` : `to ${seconds(lie.to)} (${lengthOf(length)})`}`,
    truth: lie.truth[0] ?? '?',
    alsoTrue: lie.truth.slice(1),
    blame: blameParts(run, lie.from),
  };
}

/** One lie as a sentence of plain text (escaped where it is rendered). */
export function describeLie(run: Pick<CheckedScenarioRun, 'faults' | 'actions' | 'durationMs' | 'apps'>, lie: Lie): string {
  const parts = lieParts(run, lie);
  const verb = lie.kind === 'false alarm' ? 'wrote' : 'showed';
  const truth = `${parts.truth}${parts.alsoTrue.length > 0 ? ` (at times ${parts.alsoTrue.join(', ')})` : ''}`;
  return `${parts.who} ${verb} ${lie.state} ${parts.when}${lie.kind === 'false alarm' ? ' (false alarm)' : ''} while the job was ${truth}; ${blameClause(run, lie.from)}.`;
}

/** Session mode: the same lie told about several applications at the same times, as one line. */
export function groupByApp(lies: readonly Lie[]): { lie: Lie; apps: string[] }[] {
  const groups = new Map<string, { lie: Lie; apps: string[] }>();
  for (const lie of lies) {
    const key = JSON.stringify([lie.variant, lie.kind, lie.state, seconds(lie.from), seconds(lie.to), lie.truth]);
    const group = groups.get(key);
    if (group) group.apps.push(lie.app);
    else groups.set(key, { lie, apps: [lie.app] });
  }
  return [...groups.values()];
}

function lieRow(run: CheckedScenarioRun, lie: Lie, apps: readonly string[]): Html {
  const swatch = consoleSwatch(systemOf(run, lie.variant), lie.state);
  const truthSwatch = jobSwatch(lie.truth[0] ?? '');
  const parts = lieParts(run, lie, apps);
  const alarm = lie.kind === 'false alarm';
  return html`<tr class="${alarm ? 'alarm' : 'lie'}" title="${describeLie(run, lie)}">
<td><span class="chip" style="background:${swatch.fill};color:${swatch.ink}">${lie.state}</span></td>
<th scope="row">${parts.who}</th>
<td>${alarm
    ? html`${lengthOf(lie.to - lie.from)} at ${seconds(lie.from)} <span class="tag">false alarm</span>`
    : html`<strong>${seconds(lie.from)} → ${lie.toEnd ? 'the end' : seconds(lie.to)}</strong> <span class="muted">(${lengthOf(lie.to - lie.from)})</span>`}</td>
<td><span class="chip" style="background:${truthSwatch.fill};color:${truthSwatch.ink}">${parts.truth}</span>${parts.alsoTrue.length > 0 ? html` <span class="muted">at times ${parts.alsoTrue.join(', ')}</span>` : ''}</td>
<td>${parts.blame.fault}${parts.blame.action ? html`<br><span class="muted">${parts.blame.action}</span>` : ''}</td>
</tr>`;
}

/** The "who lied" box: lies first, then false alarms; or a line saying every console told the truth. */
export function renderLieSummary(run: CheckedScenarioRun, variants: readonly string[]): Html {
  const lies = liesOf(run, variants);
  const tolerance = lieToleranceMs(run);
  const rule = `A console lies when it shows the job live (RUNNING) while it is over, or over (an end state) while it is live, for longer than ${lengthOf(tolerance)} (${TRUTHFUL_POLLS} poll intervals: a tracker may need one to poll again, and the poll may take two); a shorter false end state is a false alarm. States that claim nothing settled (SILENT, INITIALIZING, RESTARTING and the like) never lie.`;
  if (run.lanes.truth.length === 0) return html`<section class="lies none"><p><strong>No truth recorded</strong>: nothing to compare the consoles with.</p></section>`;
  if (lies.length === 0) {
    return html`<section class="lies honest"><h2>Who lied</h2><p class="headline">No console lied: every variant agreed with the job's real state (within ${lengthOf(tolerance)}).</p><p class="rule">${rule}</p></section>`;
  }
  const ordered = groupByApp([...lies.filter((lie) => lie.kind === 'lie'), ...lies.filter((lie) => lie.kind === 'false alarm')]);
  const liars = new Set(lies.filter((lie) => lie.kind === 'lie').map((lie) => lie.variant));
  const ran = variants.filter((variant) => run.lanes.variants[variant] !== undefined);
  const honest = ran.filter((variant) => !lies.some((lie) => lie.variant === variant));
  return html`<section class="lies">
<h2>Who lied</h2>
<p class="headline">${liars.size === 0 ? 'No lasting lie' : `${liars.size} of ${ran.length} variants lied`}${honest.length > 0 ? html` · told the truth throughout: ${honest.map((variant, index) => html`${index > 0 ? ', ' : ''}<strong>${variant}</strong>`)}` : ''}</p>
<table class="lie-table">
<thead><tr><th>showed</th><th>variant</th><th>when</th><th>while the job was</th><th>what was going on</th></tr></thead>
<tbody>${ordered.map(({ lie, apps }) => lieRow(run, lie, apps))}</tbody>
</table>
<p class="rule">${rule}</p>
</section>`;
}
