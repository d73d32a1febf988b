/**
 * The page shell: one self-contained HTML document with its CSS inline. No fonts, images or
 * scripts are loaded from anywhere, and a Content-Security-Policy forbids it, so a report opened
 * from file:// (or mailed around) never makes a request.
 */
import { html, raw, type Html } from './escape.ts';

const CSS = raw(`
:root { --ink: #1f2329; --muted: #5f6670; --rule: #d9dde2; --panel: #f6f7f9; --accent: #2f5fb3; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 18px 20px 40px; }
h1 { font-size: 22px; margin: 4px 0 2px; word-break: break-word; }
h2 { font-size: 17px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 14px; margin: 14px 0 6px; }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.crumbs { font-size: 13px; margin-bottom: 6px; }
.subtitle { color: var(--muted); margin: 0 0 10px; }
.description { font-size: 15px; margin: 6px 0 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12.5px; white-space: nowrap; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.chip { display: inline-block; padding: 1px 7px; border-radius: 4px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.chip.after { opacity: .45; }
.chip.diverged { outline: 3px solid #d33f3f; outline-offset: 1px; }
.chip.missing { background: #fff; color: #8a1c1c; border: 2px dashed #d33f3f; }
.trace { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 3px; }
.arrow { color: var(--muted); padding: 0 1px; }
.finding { border-top: 1px solid var(--rule); padding-top: 4px; margin-top: 18px; }
.certificate { background: var(--panel); border-radius: 6px; padding: 6px 10px; margin: 6px 0 10px; }
.lies { border: 1px solid #e9b4b2; background: #fff6f5; border-left: 6px solid #d33f3f; border-radius: 6px; padding: 4px 16px 8px; margin: 12px 0 8px; }
.lies h2 { border: 0; margin: 8px 0 2px; font-size: 16px; }
.lies.honest { border-color: #b6dcc2; border-left-color: #2f9e58; background: #f4fbf6; }
.lies.none { border-color: var(--rule); border-left-color: #8a8f98; background: var(--panel); }
.lie-table { width: 100%; margin: 4px 0 2px; }
.lie-table th, .lie-table td { border-bottom: 1px solid #f0d3d1; padding: 5px 8px 5px 0; vertical-align: top; }
.lie-table thead th { background: none; font-size: 11.5px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; position: static; }
.lie-table tbody th { white-space: nowrap; }
.lie-table tr:last-child td, .lie-table tr:last-child th { border-bottom: 0; }
.lie-table tr.alarm { color: #4a5058; }
.lie-table tr.alarm th { font-weight: 600; }
.lie-table .tag { display: inline-block; font-size: 11px; font-weight: 700; padding: 0 5px; border-radius: 3px; background: #fdebc8; color: #6b4a00; }
.lie-table { font-size: 13.5px; table-layout: auto; }
.lie-table td:first-child { width: 1%; }
.lie-table td:nth-child(3) { width: 190px; }
.lie-table td:nth-child(4) { width: 210px; }
.lies .headline { margin: 4px 0; font-weight: 600; }
.lies .rule, p.rule { font-size: 12px; color: var(--muted); margin: 6px 0 2px; }
figure { margin: 0; }
.timeline-figure { border: 1px solid var(--rule); border-radius: 6px; padding: 6px 6px 2px; break-inside: avoid; page-break-inside: avoid; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
svg .section-label { font-weight: 700; fill: #3a3f47; font-size: 11.5px; letter-spacing: .02em; }
svg .section-rule { stroke: var(--rule); }
svg .lane-label { fill: #3a3f47; }
svg .variant-label { font-weight: 700; font-size: 12px; fill: var(--ink); }
svg .app-label { font-size: 10.5px; fill: var(--muted); }
svg .verdict-mark { font-weight: 700; font-size: 14px; }
svg .poll-label { font-size: 8px; fill: #8a8f98; }
svg .tick-label { fill: var(--muted); }
svg .axis-line, svg .tick { stroke: #8a8f98; }
svg .grid { stroke: #eceef1; }
svg .fault-shade { opacity: .16; }
svg .fault-edge { stroke-dasharray: 3 3; opacity: .7; }
svg .action-line { stroke: #3a3f47; stroke-dasharray: 1 3; }
svg .action path { fill: #3a3f47; }
svg .action text { fill: #1f2329; }
svg .downtime { fill: #3a3f47; opacity: .25; }
svg .settled line { stroke: #2f5fb3; stroke-dasharray: 6 3; }
svg .settled text { fill: #2f5fb3; font-weight: 600; }
svg .segment text { font-weight: 600; pointer-events: none; }
svg .lie-mark { fill: #7a0f0f; }
svg .alarm-mark { fill: #e08a00; }
svg .alert-mark { fill: #d33f3f; stroke: #fff; stroke-width: .8; }
svg .muted { fill: var(--muted); }
.diagrams { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 10px 18px; }
.diagram-figure { border: 1px solid var(--rule); border-radius: 6px; padding: 6px 8px; overflow-x: auto; break-inside: avoid; }
.diagram-figure svg { max-width: 100%; height: auto; display: block; }
svg.diagram .edge path { fill: none; stroke: #5f6670; stroke-width: 1.4; }
svg.diagram .edge text { fill: #1f2329; font-weight: 700; }
svg.diagram marker path { fill: #5f6670; }
svg.diagram .node rect { stroke: rgba(0,0,0,.15); }
svg.diagram .unvisited rect { stroke: #c4c8ce; stroke-dasharray: 3 2; }
svg.diagram .node text { font-weight: 600; }
svg.diagram .writes { fill: var(--muted); font-weight: 400 !important; font-size: 10px; }
svg.diagram .start circle { fill: #1f2329; }
svg.diagram .start line { stroke: #1f2329; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: #3a3f47; margin: 8px 4px 4px; align-items: center; }
.legend .group { display: inline-flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
.legend .group-name { font-weight: 700; }
.swatch { display: inline-block; width: 14px; height: 10px; border-radius: 2px; vertical-align: -1px; margin-right: 3px; border: 1px solid rgba(0,0,0,.12); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
thead th { background: var(--panel); font-size: 12.5px; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.comparison code.pattern { background: var(--panel); padding: 1px 5px; border-radius: 3px; }
.comparison .rule { display: inline-block; font-size: 12px; color: var(--muted); margin-left: 4px; }
.divergence { color: #8a1c1c; font-weight: 600; margin-top: 4px; }
.full-trace { font-size: 12px; margin-top: 3px; }
.failures { margin: 4px 0 0; padding-left: 18px; color: #8a1c1c; font-size: 12.5px; }
.matrix td, .matrix th { vertical-align: middle; }
.matrix td.cell { min-width: 120px; }
.matrix .cell-verdict { font-weight: 700; font-size: 13px; }
.matrix .cell-trace { font-size: 11.5px; color: #3a3f47; margin-top: 2px; line-height: 1.3; }
.matrix .liar { display: inline-block; margin-top: 3px; font-size: 11px; font-weight: 700; color: #8a1c1c; background: #fbe0df; border-radius: 3px; padding: 0 4px; }
.matrix .scenario-name { font-weight: 700; word-break: break-word; }
.matrix tbody th { width: 270px; font-weight: 400; }
.matrix .scenario-about { font-size: 12px; margin-top: 2px; }
.matrix-wrap { overflow-x: auto; border: 1px solid var(--rule); border-radius: 6px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 8px 0; font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; word-break: break-word; }
.warnings { background: #fff8e6; border: 1px solid #f0d48a; border-radius: 6px; padding: 6px 14px; }
.warnings li { margin: 3px 0; }
.error-box { background: #fbe0df; border: 1px solid #e9b4b2; border-radius: 6px; padding: 6px 14px; color: #8a1c1c; }
.evidence td:first-child { white-space: nowrap; }
.evidence ul { margin: 0; padding-left: 18px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0; padding: 8px 10px; background: var(--panel); border-radius: 6px; }
.filters input[type=search] { flex: 1 1 280px; padding: 5px 8px; border: 1px solid #b9bec6; border-radius: 4px; font: inherit; }
.filters select { padding: 4px; font: inherit; }
.lane-toggle { white-space: nowrap; font-size: 13px; }
.table-wrap { max-height: 640px; overflow: auto; border: 1px solid var(--rule); border-radius: 6px; }
table.events { font-size: 12.5px; }
table.events td { padding: 2px 8px; }
table.events td.detail { word-break: break-word; }
table.events td:nth-child(2), table.events td:nth-child(3), table.events td:nth-child(4) { white-space: nowrap; }
.lane-tag { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 11px; font-weight: 600; background: #eceef1; }
.lane-fault { background: #fbe3b0; } .lane-action { background: #d9dde2; } .lane-truth { background: #cfe9d7; }
.lane-write { background: #d6e4f7; } .lane-alert { background: #fbe0df; } .lane-poll { background: #f1f2f4; } .lane-event { background: #ece3f6; }
footer { margin-top: 30px; font-size: 12px; color: var(--muted); }
@media print {
  .filters, .no-print { display: none !important; }
  main { max-width: none; padding: 0; }
  .table-wrap { max-height: none; overflow: visible; border: 0; }
  thead th { position: static; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .timeline-figure, .diagram-figure, .lies, tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`);

// Everything inline; nothing may be fetched (img-src none also stops injected <img> from loading).
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'none'; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'";

/** A complete HTML document: title, body markup and optional inline scripts. */
export function renderPage(options: { title: string; body: Html; scripts?: Html[] }): string {
  const scripts = (options.scripts ?? []).map((script) => html`<script>${script}</script>`);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="statuschaos">
<title>${options.title}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${options.body}
</main>
${scripts}
</body>
</html>
`.markup;
}
