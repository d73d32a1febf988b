/**
 * The trace language of scenario expectations: states separated by `→`, `->` or spaces, with
 * groups `( … )`, alternation `|`, and `?`, `*`, `+`. A pattern is compiled to a small NFA and
 * run over the observed trace; consecutive repeats count once on both sides, so
 * `RUNNING (SILENT)? RUNNING` matches a trace that never left RUNNING. A failed match names
 * the first point where the trace left every path the pattern allows.
 */
import { ALL_CONSOLE_STATES } from '../systems/registry.ts';
import { suggestion } from '../errors/user-error.ts';

type Node =
  | { kind: 'state'; name: string }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'choice'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: 0 | 1; unbounded: boolean };

/** A pattern problem, with the 1-based column in the pattern text. */
export class PatternError extends Error {
  readonly column: number;
  readonly hint: string | undefined;
  constructor(message: string, column: number, hint?: string) {
    super(message);
    this.name = 'PatternError';
    this.column = column;
    this.hint = hint;
  }
}

interface Token {
  text: string;
  column: number;
}


function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (char === '→') {
      tokens.push({ text: '→', column: index + 1 });
      index++;
    } else if (source.startsWith('->', index)) {
      tokens.push({ text: '→', column: index + 1 });
      index += 2;
    } else if ('()|?*+'.includes(char)) {
      tokens.push({ text: char, column: index + 1 });
      index++;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(index))!;
      tokens.push({ text: match[0], column: index + 1 });
      index += match[0].length;
    } else {
      throw new PatternError(`unexpected character \`${char}\``, index + 1, 'use state names, `→` or `->`, `( | )`, `?`, `*`, `+`');
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  private readonly tokens: Token[];
  private readonly endColumn: number;
  private readonly states: readonly string[];
  constructor(tokens: Token[], endColumn: number, states: readonly string[]) {
    this.tokens = tokens;
    this.endColumn = endColumn;
    this.states = states;
  }

  parse(): Node {
    if (this.tokens.length === 0) throw new PatternError('the pattern is empty', 1, 'write at least one state, e.g. `RUNNING → FAILED`');
    const node = this.choice();
    const rest = this.peek();
    if (rest !== undefined) throw new PatternError(rest.text === ')' ? 'unmatched `)`' : `unexpected \`${rest.text}\``, rest.column);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private choice(): Node {
    const options = [this.sequence()];
    while (this.peek()?.text === '|') {
      this.position++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'choice', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      const token = this.peek();
      if (token === undefined || token.text === ')' || token.text === '|') break;
      if (token.text === '→') {
        if (items.length === 0) throw new PatternError('an arrow needs a state before it', token.column);
        this.position++;
        const next = this.peek();
        if (next === undefined || next.text === ')' || next.text === '|' || next.text === '→') {
          throw new PatternError('an arrow needs a state after it', next?.column ?? this.endColumn);
        }
        continue;
      }
      items.push(this.quantified());
    }
    if (items.length === 0) throw new PatternError('empty alternative', this.peek()?.column ?? this.endColumn, 'remove the extra `|`, or write `( A | B )?` for an optional group');
    return items.length === 1 ? items[0]! : { kind: 'sequence', items };
  }

  private quantified(): Node {
    let node = this.atom();
    for (let token = this.peek(); token && '?*+'.includes(token.text); token = this.peek()) {
      this.position++;
      node = { kind: 'repeat', node, min: token.text === '+' ? 1 : 0, unbounded: token.text !== '?' };
    }
    return node;
  }

  private atom(): Node {
    const token = this.peek()!;
    if (token.text === '(') {
      this.position++;
      const inner = this.choice();
      const close = this.peek();
      if (close?.text !== ')') throw new PatternError('missing `)`', close?.column ?? this.endColumn);
      this.position++;
      return inner;
    }
    if ('?*+'.includes(token.text)) throw new PatternError(`\`${token.text}\` needs a state or group before it`, token.column);
    if (!/^[A-Za-z_]/.test(token.text)) throw new PatternError(`unexpected \`${token.text}\``, token.column);
    if (!this.states.includes(token.text)) throw new PatternError(`unknown state \`${token.text}\``, token.column, suggestion(token.text, this.states));
    this.position++;
    return { kind: 'state', name: token.text };
  }
}

/** NFA: `edges[i]` are labelled transitions, `empty[i]` the ε ones; state 0 starts, `accept` ends. */
interface Automaton {
  edges: { label: string; to: number }[][];
  empty: number[][];
  accept: number;
}

function compile(node: Node): Automaton {
  const automaton: Automaton = { edges: [], empty: [], accept: 0 };
  const newState = () => {
    automaton.edges.push([]);
    automaton.empty.push([]);
    return automaton.edges.length - 1;
  };
  const build = (current: Node, from: number): number => {
    switch (current.kind) {
      case 'state': {
        const to = newState();
        automaton.edges[from]!.push({ label: current.name, to });
        return to;
      }
      case 'sequence':
        return current.items.reduce((at, item) => build(item, at), from);
      case 'choice': {
        const end = newState();
        for (const option of current.options) {
          const start = newState();
          automaton.empty[from]!.push(start);
          automaton.empty[build(option, start)]!.push(end);
        }
        return end;
      }
      case 'repeat': {
        const start = newState();
        const end = newState();
        automaton.empty[from]!.push(start);
        const inner = build(current.node, start);
        automaton.empty[inner]!.push(end);
        if (current.unbounded) automaton.empty[inner]!.push(start);
        if (current.min === 0) automaton.empty[from]!.push(end);
        return end;
      }
    }
  };
  automaton.accept = build(node, newState());
  return automaton;
}

export interface TracePattern {
  source: string;
  automaton: Automaton;
}

/** Parse and compile a pattern; throws PatternError with a column on bad input. */
/** Parse a pattern; its state names must be `states` (a system's; default: any system's). */
export function parsePattern(source: string, states: readonly string[] = ALL_CONSOLE_STATES): TracePattern {
  const tokens = tokenize(source);
  return { source, automaton: compile(new Parser(tokens, source.length + 1, states).parse()) };
}

export type MatchResult = { ok: true } | { ok: false; index: number; got: string | undefined; expected: string[] };

/** A configuration: an NFA state plus the last state consumed (a repeat of it is free). */
type Config = { state: number; last: string | undefined };

function closure(automaton: Automaton, configs: Config[]): Config[] {
  const seen = new Set<string>();
  const result: Config[] = [];
  const stack = [...configs];
  while (stack.length > 0) {
    const config = stack.pop()!;
    const key = `${config.state}|${config.last ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(config);
    for (const to of automaton.empty[config.state]!) stack.push({ state: to, last: config.last });
    // a pattern state equal to the one just consumed matches the same (collapsed) run
    for (const edge of automaton.edges[config.state]!) if (edge.label === config.last) stack.push({ state: edge.to, last: config.last });
  }
  return result;
}

/** Match a collapsed trace against a pattern; on failure say where and what was expected. */
export function matchTrace(pattern: TracePattern, trace: readonly string[]): MatchResult {
  const { automaton } = pattern;
  let configs = closure(automaton, [{ state: 0, last: undefined }]);
  for (let index = 0; index < trace.length; index++) {
    const token = trace[index]!;
    const next: Config[] = [];
    for (const config of configs) for (const edge of automaton.edges[config.state]!) if (edge.label === token) next.push({ state: edge.to, last: token });
    if (next.length === 0) return { ok: false, index, got: token, expected: expectedAfter(automaton, configs) };
    configs = closure(automaton, next);
  }
  if (configs.some((config) => config.state === automaton.accept)) return { ok: true };
  return { ok: false, index: trace.length, got: undefined, expected: expectedAfter(automaton, configs) };
}

function expectedAfter(automaton: Automaton, configs: Config[]): string[] {
  const labels = new Set<string>();
  for (const config of configs) {
    if (config.state === automaton.accept) labels.add('(end)');
    for (const edge of automaton.edges[config.state]!) if (edge.label !== config.last) labels.add(edge.label);
  }
  return [...labels].sort();
}

/** Drop ignored states, then collapse consecutive repeats. */
export function normalizeTrace(trace: readonly string[], ignore: readonly string[] = []): string[] {
  const ignored = new Set(ignore);
  const result: string[] = [];
  for (const state of trace) {
    if (ignored.has(state) || result[result.length - 1] === state) continue;
    result.push(state);
  }
  return result;
}

/** "after RUNNING → FAILED, expected RUNNING but the trace has INITIALIZING" */
export function describeDivergence(trace: readonly string[], result: Extract<MatchResult, { ok: false }>): string {
  const before = trace.slice(0, result.index);
  const prefix = before.length === 0 ? 'at the start' : `after ${before.join(' → ')}`;
  const expected = result.expected.length === 0 ? 'nothing more' : result.expected.join(' | ');
  const got = result.got === undefined ? 'the trace ends' : `the trace has ${result.got}`;
  return `${prefix}, expected ${expected} but ${got}`;
}
