/**
 * The explorer's front page: what was explored (seed, budget, schedules, rate), then every
 * finding grouped by oracle — its signature, the shrunk schedule, the timeline of its run (the
 * lying lane against the truth), the fix certificate (which variants hold on the same schedule)
 * and links to its scenario file and page.
 */
import type { ExploreRecord, FindingRecord } from '../../record/explore-record.ts';
import type { CheckedScenarioRun, Result } from '../../record/run-record.ts';
import { html, type Html } from './escape.ts';
import { wallTime } from './format.ts';
import { renderPage } from './page.ts';
import { VERDICT_STYLES } from './palette.ts';
import { renderTimeline } from './timeline.ts';

/** A finding with what its page shows: the run of its scenario file and the results. */
export interface FindingView {
  finding: FindingRecord;
  run: CheckedScenarioRun;
  results: Result[];
}

function certificate(finding: FindingRecord): Html {
  const breaks = finding.certificate.filter((entry) => !entry.holds);
  const holds = finding.certificate.filter((entry) => entry.holds);
  const chip = (entry: FindingRecord['certificate'][number]) => {
    const style = VERDICT_STYLES[entry.holds ? 'pass' : 'fail'];
    return html`<span class="badge" style="background:${style.swatch.fill};color:${style.swatch.ink}" title="${entry.violation ?? `holds ${finding.oracle}`}">${style.symbol} ${entry.variant}</span>`;
  };
  const sentence = `breaks ${breaks.map((entry) => entry.variant).join(', ') || 'no variant'}; ${holds.map((entry) => entry.variant).join(', ') || 'no variant'} ${holds.length === 1 ? 'holds' : 'hold'}`;
  return html`<div class="certificate"><strong>Fix certificate</strong> (${finding.oracle} on the same schedule): ${sentence}<div class="badges">${finding.certificate.map(chip)}</div></div>`;
}

function traces(finding: FindingRecord): Html {
  const rows = Object.entries(finding.traces).flatMap(([variant, byApp]) =>
    Object.entries(byApp).map(([app, trace]) => html`<tr><th scope="row">${variant}${Object.keys(byApp).length > 1 ? html` <span class="muted">${app}</span>` : ''}</th><td><code>${trace.join(' → ')}</code></td></tr>`),
  );
  return html`<details><summary>Console traces on the shrunk schedule</summary><table class="lie-table"><tbody>${rows}</tbody></table></details>`;
}

function section(view: FindingView): Html {
  const { finding, run, results } = view;
  const variants = Object.keys(run.lanes.variants);
  return html`<section class="finding" id="${finding.page.replace(/\.html$/, '')}">
<h3><code>${finding.signature}</code></h3>
<p>${finding.variant} ${finding.message}.</p>
<p class="muted">${finding.notShrunk ? `Not shrunk (the exploration was stopped first): ${finding.events} event(s)` : finding.shrinkSteps > 0 ? `Shrunk to ${finding.events} event(s) in ${finding.shrinkSteps} step(s)` : `${finding.events} event(s), as shrunk for another finding of the same schedule`}: <code>${finding.shrunk}</code>. First seen in schedule ${finding.found.schedule} after ${wallTime(finding.found.afterMs)} (fast-check seed ${finding.found.batchSeed}, path ${finding.found.index}), ${finding.occurrences} time(s) in all.${finding.replayed ? ' Its scenario file replays it.' : finding.notShrunk ? ' Its scenario file was not run again.' : html` <strong class="divergence">Its scenario file did not replay it.</strong>`}</p>
${certificate(finding)}
<figure class="timeline-figure">${renderTimeline(run, results, variants)}</figure>
${traces(finding)}
<p><a href="${finding.file}">${finding.file}</a> · <a href="${finding.page}">the finding's page</a>${finding.confirmed ? confirmation(finding.confirmed) : ''}</p>
</section>`;
}

/** What `--confirm` found: on the local control plane, by the same model, or by the real code it models. */
function confirmation(confirmed: NonNullable<FindingRecord['confirmed']>) {
  if (confirmed.tracker === undefined) return html` · on ${confirmed.backend}: reproduced ${confirmed.reproduced} of ${confirmed.runs}`;
  if (confirmed.runs === 0) return html` · ${confirmed.notes[0] ?? 'not confirmed'}`;
  const code = confirmed.tracker.replace(/^real-/, 'StreamPark ');
  return confirmed.reproduced > 0
    ? html` · <strong>confirmed on ${code}'s own code</strong> (${confirmed.tracker}): ${confirmed.reproduced} of ${confirmed.runs} runs`
    : html` · <strong class="divergence">not seen from ${code}'s own code</strong> (${confirmed.tracker}) in ${confirmed.runs} runs`;
}

/** The complete index.html of an exploration. */
export function renderExplorePage(record: ExploreRecord, views: readonly FindingView[]): string {
  const byOracle = new Map<string, FindingView[]>(record.oracles.map((oracle) => [oracle.name, []]));
  const variantOrder = (view: FindingView) => record.variants.indexOf(view.finding.variant);
  for (const view of [...views].sort((a, b) => variantOrder(a) - variantOrder(b))) byOracle.get(view.finding.oracle)?.push(view);
  const outcome = views.length === 0 ? 'no variant broke an oracle' : `${views.length} finding(s)`;
  const groups = [...byOracle].filter(([, list]) => list.length > 0).map(([oracle, list]) => html`<h2 id="oracle-${oracle}">${oracle} <span class="muted">(${list.length})</span></h2>${list.map(section)}`);
  const body = html`<h1>statuschaos explore: ${outcome}</h1>
<p class="subtitle">seed ${record.seed}${record.shard ? ` · shard ${record.shard.index + 1}/${record.shard.count}` : ''} · ${record.stats.schedules} schedule(s) in ${wallTime(record.stats.elapsedMs)} (${record.stats.schedulesPerSecond.toFixed(1)}/s) · ${record.stats.unjudged ?? 0} stop(s) unjudged · variants ${record.variants.join(', ')} · oracles ${record.oracles.map((oracle) => oracle.name).join(', ')} · ${record.status}</p>
<p class="muted">A finding is a minimal fault schedule on the simulation that made a variant break an oracle (docs/explore.md). Findings are grouped by oracle, one per variant and shape of the first divergence.</p>
${groups}
<footer>${record.tool.name} ${record.tool.version} · ${record.format} · started ${record.startedAt}</footer>`;
  return renderPage({ title: `statuschaos explore: ${outcome} · seed ${record.seed}`, body });
}
