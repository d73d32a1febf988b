/**
 * The run's front page: what ran where (seeds, backend, tool versions, timing, durations), the
 * summary counts, every warning, and the scenario × variant matrix with verdicts, observed
 * traces and lies, each row linking to its scenario page.
 */
import type { Result, RunRecord, CheckedScenarioRun } from '../../record/run-record.ts';
import type { Verdict } from '../../check/expectations.ts';
import { html, type Html } from './escape.ts';
import { seconds, wallTime } from './format.ts';
import { liesOf } from './lie-summary.ts';
import { renderPage } from './page.ts';
import { VERDICT_STYLES } from './palette.ts';
import { resultsOf } from './scenario-page.ts';
import { KEEP_ALL_UP_TO, KEEP_AT_MOST } from '../../record/store.ts';
import { tallyText } from '../../record/summary.ts';

/** The verdict of a cell that holds several results (session mode): the worst one. */
export function worstVerdict(results: readonly Result[]): Verdict {
  for (const verdict of ['fail', 'inconclusive', 'pass'] as const) if (results.some((result) => result.verdict === verdict)) return verdict;
  return 'unchecked';
}

function cell(run: CheckedScenarioRun, results: readonly Result[], lied: readonly { from: number; app: string }[]): Html {
  if (results.length === 0) return html`<td class="cell muted">not run</td>`;
  const style = VERDICT_STYLES[worstVerdict(results)];
  const traces = results.map((result) => html`<div class="cell-trace">${run.apps.length > 1 ? html`<span class="muted">${result.app}: </span>` : ''}${result.trace.join(' → ') || '(no writes)'}</div>`);
  const lie = lied.length === 0 ? '' : html`<div class="liar" title="its console contradicted the truth; see the scenario page">lied from ${seconds(Math.min(...lied.map((item) => item.from)))}</div>`;
  return html`<td class="cell" style="background:${style.swatch.fill}"><div class="cell-verdict" style="color:${style.swatch.ink}">${style.symbol} ${style.word}</div>${traces}${lie}</td>`;
}

/** Over every seed of a repeated run: per scenario and variant, how many runs ended how (from results.jsonl, so runs not kept count too). */
function tally(record: RunRecord): Html {
  const entries = record.tally ?? [];
  if (!entries.some((entry) => entry.runs > 1) && record.notShown === 0) return html``;
  const head = record.variants.map((variant) => html`<th scope="col">${variant}</th>`);
  const rows = entries.map((entry) => html`<tr><th scope="row">${entry.name} <span class="muted">× ${entry.runs}</span></th>${record.variants.map((variant) => html`<td class="cell">${tallyText(entry.variants[variant])}</td>`)}</tr>`);
  const hidden = record.notShown === 0 ? '' : html`<p class="muted">${record.notShown} scenario run(s) are counted here but not shown below: a run of more than ${KEEP_ALL_UP_TO} scenario runs keeps the lanes of each scenario's first run and of the runs that did not pass, at most ${KEEP_AT_MOST} (docs/limits.md).</p>`;
  return html`<h2 id="tally">Over every seed</h2><p class="muted">Each cell: how many of the scenario's runs the variant passed (✓ n), or failed (✗ failed/runs).</p><div class="matrix-wrap"><table class="matrix"><thead><tr><th scope="col">scenario</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>${hidden}`;
}

function matrix(record: RunRecord, pages: readonly string[]): Html {
  const head = record.variants.map((variant) => html`<th scope="col">${variant}</th>`);
  const runsOf = new Map<string, number>();
  for (const run of record.scenarios) runsOf.set(run.name, (runsOf.get(run.name) ?? 0) + 1);
  const rows = record.scenarios.map((run, index) => {
    const results = resultsOf(record, run);
    const lies = liesOf(run, record.variants).filter((lie) => lie.kind === 'lie');
    const repeated = (runsOf.get(run.name) ?? 0) > 1;
    const cells = record.variants.map((variant) => cell(run, results.filter((result) => result.variant === variant), lies.filter((lie) => lie.variant === variant)));
    const flags = [run.error ? html` <span class="badge" style="background:#fbe0df;color:#8a1c1c">backend error</span>` : '', run.warnings.length > 0 ? html` <span class="badge" style="background:#fff1c9;color:#6b4a00">⚠ ${run.warnings.length}</span>` : ''];
    return html`<tr class="scenario-row" data-scenario="${run.name}"><th scope="row"><a class="scenario-name" href="${pages[index]!}">${run.name}</a>${repeated ? html` <span class="muted">seed ${run.seed}</span>` : ''}${flags}<div class="scenario-about muted">${run.description}</div><div class="scenario-about muted">${seconds(run.durationMs)} of scenario time · ${wallTime(run.wallMs)} wall${run.apps.length > 1 ? ` · session: ${run.apps.join(', ')}` : ''}</div></th>${cells}</tr>`;
  });
  return html`<div class="matrix-wrap"><table class="matrix"><thead><tr><th scope="col">scenario</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function runMetadata(record: RunRecord): Html {
  const seeds = [...new Set(record.scenarios.map((run) => run.seed))].sort((a, b) => a - b);
  const scenarioMs = record.scenarios.reduce((sum, run) => sum + run.durationMs, 0);
  const wallMs = record.scenarios.reduce((sum, run) => sum + run.wallMs, 0);
  const phase = (key: keyof CheckedScenarioRun['phases']) => wallTime(record.scenarios.reduce((sum, run) => sum + run.phases[key], 0));
  const entries: [string, string][] = [
    ['tool', `${record.tool.name} ${record.tool.version}`],
    ['backend', record.backend],
    ['started at', record.startedAt],
    ['seed(s)', seeds.length === 0 ? '—' : seeds.join(', ')],
    ['timing profile', `${record.timing.profile} (scale ${record.timing.scale})`],
    ['variants', record.variants.join(', ')],
    ['scenarios', `${record.scenarios.length}, ${seconds(scenarioMs)} of scenario time`],
    ['wall time', `${wallTime(wallMs)} (setup ${phase('setupMs')}, run ${phase('runMs')}, teardown ${phase('teardownMs')})`],
    // the backend's own metadata (tool versions, endpoints), without repeating what is above
    ...Object.entries(record.metadata).filter(([key]) => key !== 'backend'),
  ];
  return html`<dl class="meta">${entries.map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`)}</dl>`;
}

function summary(record: RunRecord): Html {
  const { pass, fail, inconclusive, unchecked, warnings } = record.summary;
  const badge = (verdict: Verdict, count: number) => {
    const style = VERDICT_STYLES[verdict];
    return html`<span class="badge" style="background:${style.swatch.fill};color:${style.swatch.ink}">${style.symbol} ${count} ${style.word}</span>`;
  };
  return html`<div class="badges summary">${badge('pass', pass)}${badge('fail', fail)}${badge('inconclusive', inconclusive)}${badge('unchecked', unchecked)}<span class="badge" style="background:#fff1c9;color:#6b4a00">⚠ ${warnings} warning(s)</span></div>`;
}

function warnings(record: RunRecord, pages: readonly string[]): Html {
  const items = record.scenarios.flatMap((run, index) => [
    ...(run.error ? [html`<li><a href="${pages[index]!}">${run.name}</a>: the backend failed: ${run.error}</li>`] : []),
    ...run.warnings.map((warning) => html`<li><a href="${pages[index]!}">${run.name}</a>: ${warning}</li>`),
  ]);
  return items.length === 0 ? html`` : html`<h2 id="warnings">Warnings</h2><div class="warnings"><ul>${items}</ul></div>`;
}

/** The complete index.html of a run; `pages` are the scenario page file names, in record order. */
export function renderIndexPage(record: RunRecord, pages: readonly string[]): string {
  const outcome = record.summary.fail > 0 || record.summary.inconclusive > 0 ? 'some expectations did not hold' : 'every expectation held';
  const body = html`<h1>statuschaos run: ${outcome}</h1>
<p class="subtitle">${record.scenarios.length} scenario run(s) × ${record.variants.length} variant(s) on ${record.backend}, started ${record.startedAt}</p>
${summary(record)}
${runMetadata(record)}
${warnings(record, pages)}
${tally(record)}
<h2 id="matrix">Verdicts</h2>
<p class="muted">Each cell: the verdict against the variant's expectation (✓ pass, ✗ fail, ? inconclusive, · unchecked) and the console trace it wrote. A ✓ means the variant did what its expectation says, including a buggy one writing FAILED; "lied" marks a console that contradicted the real job state (docs/reports.md).</p>
${matrix(record, pages)}
<footer>${record.tool.name} ${record.tool.version} · ${record.format} · re-check offline with <code>statuschaos report run.json</code></footer>`;
  return renderPage({ title: `statuschaos: ${record.summary.pass} passed, ${record.summary.fail} failed · ${record.backend} · ${record.startedAt}`, body });
}
