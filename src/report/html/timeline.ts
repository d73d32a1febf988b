/**
 * The scenario timeline as one inline SVG, x = scenario time: fault bands per target and action
 * markers; the truth lanes (deployment, pod, Flink REST, job state); then per variant (and per
 * application in session mode) its console states, its lies underlined, its alerts, and its
 * polls as ticks. Every mark has a hover title with exact times.
 */
import type { Result, CheckedScenarioRun, VariantLane } from '../../record/run-record.ts';
import { html, type Html } from './escape.ts';
import { exactSeconds, seconds, span } from './format.ts';
import { lieToleranceMs, findLies } from '../../check/lies.ts';
import { POLL_COLORS, VERDICT_STYLES, consoleSwatch, jobSwatch, pollClass, targetColor, truthSwatch } from './palette.ts';
import { systemOf } from '../../record/tracker-info.ts';
import { consoleSegments } from '../../check/segments.ts';
import { defaultBounds } from '../../check/bounds.ts';
import { truthLanes } from '../../check/job-truth.ts';
import { axis, fitText, round, segmentRect, timeScale, type TimeScale } from './svg.ts';

const WIDTH = 1200;
const PLOT_X0 = 210;
const PLOT_X1 = 1172;
/** The timeline's width and plot area, for figures drawn beside it on the same time scale. */
export const TIMELINE_GEOMETRY = { width: WIDTH, x0: PLOT_X0, x1: PLOT_X1 } as const;
const LABEL_WIDTH = PLOT_X0 - 16;

interface Row {
  y: number;
  height: number;
  markup: Html;
}

function label(text: string, y: number, height: number, className = 'lane-label'): Html {
  return html`<text class="${className}" x="${PLOT_X0 - 10}" y="${y + height / 2 + 4}" text-anchor="end"><title>${text}</title>${fitText(text, LABEL_WIDTH)}</text>`;
}

// bold 12 px glyphs are wider than the 11 px the fitting assumes; leave room for the verdict mark
const VARIANT_LABEL_WIDTH = (PLOT_X0 - 34) * 0.85;

/** A console lane's label: the variant, and in session mode the application on a second line. */
function variantLabel(variant: string, app: string | undefined, y: number): Html {
  const title = html`<title>${app === undefined ? variant : `${variant}, application ${app}`}</title>`;
  if (app === undefined) return html`<text class="lane-label variant-label" x="${PLOT_X0 - 10}" y="${y + 15}" text-anchor="end">${title}${fitText(variant, VARIANT_LABEL_WIDTH)}</text>`;
  return html`<text class="lane-label variant-label" x="${PLOT_X0 - 10}" y="${y + 10}" text-anchor="end">${title}${fitText(variant, VARIANT_LABEL_WIDTH)}</text><text class="lane-label app-label" x="${PLOT_X0 - 10}" y="${y + 21}" text-anchor="end">${fitText(app, PLOT_X0 - 40)}</text>`;
}

function heading(text: string, y: number): Html {
  return html`<text class="section-label" x="8" y="${y + 12}">${text}</text><line class="section-rule" x1="8" x2="${PLOT_X1}" y1="${y + 17}" y2="${y + 17}"/>`;
}

function faultRows(run: CheckedScenarioRun, scale: TimeScale, top: number): Row[] {
  const targets = [...new Set(run.faults.map((fault) => fault.spec.target))].sort();
  const rows: Row[] = targets.map((target, index) => {
    const y = top + index * 22;
    const colors = targetColor(target);
    const bands = run.faults.filter((fault) => fault.spec.target === target).map((fault) => {
      const until = fault.untilMs ?? run.durationMs;
      const x0 = scale.x(fault.atMs);
      const x1 = scale.x(until);
      const text = fitText(`${fault.spec.toxic}${fault.name !== `${target} ${fault.spec.toxic}` ? ` · ${fault.name}` : ''}`, x1 - x0 - 8);
      return html`<g class="fault-band"><title>${`${fault.name}: ${target} ${fault.spec.toxic} ${JSON.stringify(fault.spec.attributes)} from ${exactSeconds(fault.atMs)} to ${exactSeconds(until)}`}</title><rect x="${round(x0)}" y="${y}" width="${round(Math.max(2, x1 - x0))}" height="18" rx="2" fill="${colors.band}" stroke="${colors.edge}"/><text x="${round(x0 + 5)}" y="${y + 13}" fill="${colors.ink}">${text}</text></g>`;
    });
    return { y, height: 18, markup: html`${label(target, y, 18)}${bands}` };
  });
  const y = top + targets.length * 22;
  const markers = run.actions.map((action) => {
    const x = round(scale.x(action.atMs));
    // the downtime as a bar under the label, so the two never overlap
    const downtime = action.downtimeMs ? html`<rect class="downtime" x="${x}" y="${y + 16}" width="${round(Math.max(1, scale.x(action.atMs + action.downtimeMs) - x))}" height="4"/>` : '';
    const what = `${action.name}${action.reason ? ` (${action.reason})` : ''}${action.downtimeMs ? `, ${seconds(action.downtimeMs)} down` : ''}`;
    return html`<g class="action"><title>${`${what} at ${exactSeconds(action.atMs)}`}</title>${downtime}<path d="M${x} ${y} l6 7 l-6 7 l-6 -7 z"/><text x="${x + 9}" y="${y + 11}">${fitText(what, PLOT_X1 - x - 12)}</text></g>`;
  });
  rows.push({ y, height: 20, markup: html`${label('actions', y, 14)}${markers.length > 0 ? markers : html`<text class="muted" x="${PLOT_X0 + 4}" y="${y + 14}">none</text>`}` });
  return rows;
}

/** `Running · not ready · restarts 1`, then shorter forms for narrow segments: `not ready · ↻1`, `not ready`. */
function shortPodLabels(value: string): string[] {
  const [phase, ready, restarts] = value.split(' · ');
  if (restarts === undefined) return [value];
  const state = ready === 'ready' ? phase! : ready!;
  return [value, `${state} · ${restarts.replace('restarts ', '↻')}`, state];
}

function truthRows(run: CheckedScenarioRun, scale: TimeScale, top: number): Row[] {
  if (run.lanes.truth.length === 0) return [{ y: top, height: 18, markup: html`${label('truth', top, 18)}<text class="muted" x="${PLOT_X0 + 4}" y="${top + 13}">no truth recorded</text>` }];
  return truthLanes(run.lanes.truth, run.apps, run.durationMs, defaultBounds(run.timing)).map((lane, index) => {
    const y = top + index * 21;
    const segments = lane.segments.map((segment) =>
      segmentRect({
        x0: scale.x(segment.from), x1: scale.x(segment.to), y, height: 17,
        swatch: lane.kind === 'job' ? jobSwatch(segment.value) : truthSwatch(segment.value),
        label: lane.kind === 'pod' ? shortPodLabels(segment.value) : segment.value,
        title: `${lane.label}: ${segment.value}, ${exactSeconds(segment.from)} – ${exactSeconds(segment.to)}`,
      }),
    );
    return { y, height: 17, markup: html`<g class="lane lane-truth" data-lane="${lane.kind}">${label(lane.label, y, 17)}${segments}</g>` };
  });
}

function pollTicks(lane: VariantLane, scale: TimeScale, y: number): Html {
  // one tick per pixel, row and outcome: thousands of polls stay a small SVG
  const seen = new Map<string, { x: number; row: number; kind: ReturnType<typeof pollClass>; count: number; first: string }>();
  for (const poll of lane.polls) {
    const row = poll.target === 'apiserver' ? 0 : 1;
    const kind = pollClass(poll.outcome);
    const x = Math.round(scale.x(poll.t));
    const key = `${x}:${row}:${kind}`;
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { x, row, kind, count: 1, first: `${poll.call} → ${poll.target}: ${poll.outcome} after ${Math.round(poll.ms)} ms at ${exactSeconds(poll.t)}` });
  }
  const ticks = [...seen.values()]
    .sort((a, b) => (a.kind === 'ok' ? 0 : 1) - (b.kind === 'ok' ? 0 : 1))
    .map((tick) => {
      const failed = tick.kind !== 'ok';
      return html`<rect class="poll poll-${tick.kind}" x="${tick.x - (failed ? 1 : 0.5)}" y="${y + tick.row * 7 + (failed ? 0 : 1)}" width="${failed ? 2 : 1}" height="${failed ? 6 : 4}" fill="${POLL_COLORS[tick.kind]}"><title>${tick.count > 1 ? `${tick.first} (+${tick.count - 1} more)` : tick.first}</title></rect>`;
    });
  return html`<text class="poll-label" x="${PLOT_X0 - 10}" y="${y + 5}" text-anchor="end">api</text><text class="poll-label" x="${PLOT_X0 - 10}" y="${y + 12}" text-anchor="end">rest</text>${ticks}`;
}

function variantRows(run: CheckedScenarioRun, results: readonly Result[], variants: readonly string[], scale: TimeScale, top: number): Row[] {
  const rows: Row[] = [];
  const tolerance = lieToleranceMs(run);
  let y = top;
  for (const variant of variants) {
    const lane = run.lanes.variants[variant];
    if (lane === undefined) continue;
    const system = systemOf(run, variant);
    for (const app of run.apps) {
      const result = results.find((candidate) => candidate.variant === variant && candidate.app === app);
      const style = result ? VERDICT_STYLES[result.verdict] : undefined;
      const name = run.apps.length > 1 ? `${variant} · ${app}` : variant;
      const segments = consoleSegments(lane, app, run.durationMs).map((segment) =>
        segmentRect({
          x0: scale.x(segment.from), x1: scale.x(segment.to), y, height: 22, swatch: consoleSwatch(system, segment.value), label: segment.value,
          title: `${name}: ${segment.value}, ${exactSeconds(segment.from)} – ${exactSeconds(segment.to)}`,
        }),
      );
      const lies = findLies(run, variant, app, tolerance).map((lie) => {
        const x0 = scale.x(lie.from);
        return html`<rect class="${lie.kind === 'lie' ? 'lie-mark' : 'alarm-mark'}" x="${round(x0)}" y="${y + 24}" width="${round(Math.max(4, scale.x(lie.to) - x0))}" height="4"><title>${`${lie.kind}: ${lie.state} while the job was ${lie.truth.join(', ')}, ${span(lie.from, lie.to)}`}</title></rect>`;
      });
      const alerts = lane.alerts.filter((alert) => alert.app === app).map((alert) => {
        const x = round(scale.x(alert.t));
        return html`<path class="alert-mark" d="M${x - 5} ${y - 6} h10 l-5 7 z"><title>${`alert ${alert.state} at ${exactSeconds(alert.t)}`}</title></path>`;
      });
      const verdictMark = style ? html`<text class="verdict-mark" x="8" y="${y + 15}" fill="${style.swatch.ink}"><title>${style.word}</title>${style.symbol}</text>` : '';
      rows.push({ y, height: 27, markup: html`<g class="lane lane-console" data-variant="${variant}" data-app="${app}">${verdictMark}${variantLabel(variant, run.apps.length > 1 ? app : undefined, y)}${segments}${lies}${alerts}</g>` });
      y += 36;
    }
    // polls are the variant's, not an application's: one tick row under its console rows
    rows.push({ y: y - 6, height: 14, markup: html`<g class="lane lane-polls" data-variant="${variant}">${pollTicks(lane, scale, y - 6)}</g>` });
    y += 22;
  }
  return rows;
}

/** The whole timeline SVG for one scenario run. */
export function renderTimeline(run: CheckedScenarioRun, results: readonly Result[], variants: readonly string[]): Html {
  const scale = timeScale(run.durationMs, PLOT_X0, PLOT_X1);
  let y = 26;
  const parts: Html[] = [];
  parts.push(heading('network faults & actions', y));
  const faults = faultRows(run, scale, y + 24);
  y = last(faults) + 10;
  parts.push(heading('truth (what really happened)', y));
  const truth = truthRows(run, scale, y + 24);
  y = last(truth) + 10;
  parts.push(heading('console state per variant (▼ alert, red underline: lie, dots below: polls)', y));
  const consoles = variantRows(run, results, variants, scale, y + 30);
  const plotBottom = (consoles.length > 0 ? last(consoles) + 16 : y + 30);
  const height = plotBottom + 22;
  const bands = run.faults.map((fault) => {
    const x0 = scale.x(fault.atMs);
    return html`<rect class="fault-shade" x="${round(x0)}" y="20" width="${round(Math.max(1, scale.x(fault.untilMs ?? run.durationMs) - x0))}" height="${plotBottom - 20}" fill="${targetColor(fault.spec.target).band}"/>`;
  });
  const edges = [
    ...run.faults.flatMap((fault) => [fault.atMs, fault.untilMs ?? run.durationMs].map((t) => html`<line class="fault-edge" x1="${round(scale.x(t))}" x2="${round(scale.x(t))}" y1="20" y2="${plotBottom}" stroke="${targetColor(fault.spec.target).edge}"/>`)),
    ...run.actions.map((action) => html`<line class="action-line" x1="${round(scale.x(action.atMs))}" x2="${round(scale.x(action.atMs))}" y1="20" y2="${plotBottom}"/>`),
  ];
  const settledLabelY = 26 + 12;
  const settled = html`<g class="settled"><title>${`the world settled at ${exactSeconds(run.settledAtMs)} (last fault healed, JobManager back and recovered)`}</title><line x1="${round(scale.x(run.settledAtMs))}" x2="${round(scale.x(run.settledAtMs))}" y1="20" y2="${plotBottom}"/><text x="${round(scale.x(run.settledAtMs)) + 4}" y="${settledLabelY}">settled</text></g>`;
  const rows = [...faults, ...truth, ...consoles].map((row) => row.markup);
  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${`timeline of ${run.name}`}" data-variants="${variants.filter((variant) => run.lanes.variants[variant] !== undefined).join(' ')}">
<title>${`Timeline of ${run.name} (seed ${run.seed}), 0 – ${seconds(run.durationMs)}`}</title>
<g class="shades">${bands}</g>
${axis(scale, 18, 20, plotBottom, 'above')}
${parts}
${rows}
<g class="overlays">${edges}</g>
${settled}
${axis(scale, plotBottom + 4, plotBottom, plotBottom, 'below')}
</svg>`;
}

function last(rows: readonly Row[]): number {
  const row = rows[rows.length - 1];
  return row === undefined ? 0 : row.y + row.height;
}
