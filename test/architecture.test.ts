// The layout says what the data does: scenario → runner → backend → model → record → check →
// report. Each folder of src/ imports only the folders listed for it below (lower layers), and
// no file imports itself back through a chain of imports. docs/architecture.md draws the same.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = new URL('../src', import.meta.url).pathname;

/** What each part may import (besides itself and packages). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'errors': [],
  'states.ts': [],
  'tool.ts': [],
  'systems': [],
  'processes': [],
  'models': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes'],
  'trackers': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models'],
  'scenario': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers'],
  'record': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario'],
  'backends': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record'],
  'check': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record'],
  'runner': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'backends'],
  'report': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'check'],
  'pipeline': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'backends', 'check', 'runner', 'report'],
  'explore': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'backends', 'check', 'runner', 'report', 'pipeline'],
  'reproduce': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'backends', 'check', 'runner', 'report', 'pipeline', 'explore'],
  'cli': ['states.ts', 'errors', 'tool.ts', 'systems', 'processes', 'models', 'trackers', 'scenario', 'record', 'backends', 'check', 'runner', 'report', 'pipeline', 'explore', 'reproduce'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm), ...text.matchAll(/import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

const partOf = (file: string) => relative(SRC, file).split('/')[0]!;
const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

test('every part of src/ imports only the parts below it', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const part = partOf(file);
    const allowed = MAY_IMPORT[part];
    if (allowed === undefined) {
      wrong.push(`${relative(SRC, file)}: part \`${part}\` has no place in the layering (add it to MAY_IMPORT and docs/architecture.md)`);
      continue;
    }
    for (const target of imports) {
      const to = partOf(target);
      if (to !== part && !allowed.includes(to)) wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${part} → ${to})`);
    }
  }
  expect(wrong).toEqual([]);
});

test('no file imports itself through a chain of imports', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((item) => relative(SRC, item)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});
