// The state diagram is derived from the writes: visited states, transitions with counts.
import { STREAMPARK } from '../../src/systems/streampark.ts';
import { expect, test } from 'vitest';
import { diagramStates, renderDiagram, stateWalk } from '../../src/report/html/diagram.ts';
import { handRun, writes } from './fixtures.ts';

test('stateWalk counts writes per state and each change of state once per occurrence', () => {
  const walk = stateWalk(writes([0, 'RUNNING'], [8, 'RUNNING'], [95, 'FAILED'], [115, 'FAILED'], [180, 'RUNNING'], [200, 'FAILED'], [210, 'RUNNING']), 'app');
  expect(walk.initial).toBe('RUNNING');
  expect(Object.fromEntries(walk.writes)).toEqual({ RUNNING: 4, FAILED: 3 });
  expect(walk.transitions).toEqual([
    { from: 'RUNNING', to: 'FAILED', count: 2 },
    { from: 'FAILED', to: 'RUNNING', count: 2 },
  ]);
});

test('stateWalk of another application sees nothing', () => {
  expect(stateWalk(writes([0, 'RUNNING']), 'other')).toEqual({ initial: undefined, writes: new Map(), transitions: [] });
});

test('every diagram of a scenario shares one node order: live, uncertain, coming up, ended', () => {
  const run = handRun({ truth: [], variants: { a: writes([0, 'RUNNING'], [1, 'FAILED']), b: writes([0, 'RUNNING'], [1, 'SILENT'], [2, 'INITIALIZING'], [3, 'RUNNING']) } });
  expect(diagramStates(run)).toEqual(['RUNNING', 'SILENT', 'INITIALIZING', 'FAILED']);
});

test('the SVG has a node per state (unwritten ones dimmed) and a labelled arrow per transition', () => {
  const walk = stateWalk(writes([0, 'RUNNING'], [95, 'FAILED'], [180, 'RUNNING']), 'app');
  const svg = renderDiagram(walk, ['RUNNING', 'SILENT', 'FAILED'], 'd0', STREAMPARK).markup;
  expect(svg.match(/<g class="node">/g)).toHaveLength(2);
  expect(svg.match(/<g class="node unvisited">/g)).toHaveLength(1);
  expect(svg.match(/<g class="edge">/g)).toHaveLength(2);
  expect(svg).toContain('<title>RUNNING → FAILED: 1×</title>');
  expect(svg).toContain('marker-end="url(#d0-arrow)"');
});
