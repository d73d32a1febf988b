// The trace language: parsing, matching with collapsed repeats, and divergence reports.
import { describe, expect, test } from 'vitest';
import { describeDivergence, matchTrace, normalizeTrace, parsePattern, PatternError } from '../../src/scenario/trace-pattern.ts';

const matches = (pattern: string, trace: string[]) => matchTrace(parsePattern(pattern), normalizeTrace(trace)).ok;

describe('trace patterns', () => {
  test.for([
    ['RUNNING → FAILED → RUNNING', ['RUNNING', 'FAILED', 'RUNNING'], true],
    ['RUNNING -> FAILED -> RUNNING', ['RUNNING', 'FAILED', 'RUNNING'], true],
    ['RUNNING FAILED RUNNING', ['RUNNING', 'FAILED', 'RUNNING'], true],
    ['RUNNING → FAILED', ['RUNNING', 'FAILED', 'RUNNING'], false],
    ['RUNNING → FAILED → RUNNING', ['RUNNING', 'FAILED'], false],
    ['RUNNING (SILENT)? RUNNING', ['RUNNING'], true], // repeats collapse on both sides
    ['RUNNING (SILENT)? RUNNING', ['RUNNING', 'SILENT', 'RUNNING'], true],
    ['RUNNING (SILENT)? RUNNING', ['RUNNING', 'LOST', 'RUNNING'], false],
    ['RUNNING → (FAILED | LOST) → RUNNING', ['RUNNING', 'LOST', 'RUNNING'], true],
    ['RUNNING → (INITIALIZING | CREATED)* → RUNNING', ['RUNNING', 'INITIALIZING', 'CREATED', 'INITIALIZING', 'RUNNING'], true],
    ['RUNNING → FAILED+', ['RUNNING', 'FAILED', 'FAILED'], true],
    ['RUNNING → (FAILED → RUNNING)+', ['RUNNING', 'FAILED', 'RUNNING', 'FAILED', 'RUNNING'], true],
    ['RUNNING → (FAILED → RUNNING)+', ['RUNNING'], false],
    ['RUNNING', ['RUNNING', 'RUNNING', 'RUNNING'], true],
  ] as const)('`%s` on %j → %s', ([pattern, trace, ok]) => {
    expect(matches(pattern, [...trace])).toBe(ok);
  });

  test('ignore drops states before collapsing', () => {
    expect(normalizeTrace(['RUNNING', 'INITIALIZING', 'RUNNING', 'FAILED', 'CREATED', 'RUNNING'], ['INITIALIZING', 'CREATED'])).toEqual(['RUNNING', 'FAILED', 'RUNNING']);
  });

  test('a failed match names the first point of divergence', () => {
    const trace = ['RUNNING', 'FAILED', 'LOST'];
    const result = matchTrace(parsePattern('RUNNING → FAILED → RUNNING'), trace);
    expect(result).toEqual({ ok: false, index: 2, got: 'LOST', expected: ['RUNNING'] });
    if (!result.ok) expect(describeDivergence(trace, result)).toBe('after RUNNING → FAILED, expected RUNNING but the trace has LOST');
  });

  test('a trace that ends too early says what was still expected', () => {
    const result = matchTrace(parsePattern('RUNNING → FAILED → RUNNING'), ['RUNNING', 'FAILED']);
    expect(result).toEqual({ ok: false, index: 2, got: undefined, expected: ['RUNNING'] });
  });

  test.for([
    ['', 'the pattern is empty', 1],
    ['RUNNING →', 'an arrow needs a state after it', 10],
    ['→ RUNNING', 'an arrow needs a state before it', 1],
    ['(RUNNING', 'missing `)`', 9],
    ['RUNNING)', 'unmatched `)`', 8],
    ['RUNNING | ', 'empty alternative', 11],
    ['RUNING', 'unknown state `RUNING`', 1],
    ['RUNNING ; FAILED', 'unexpected character `;`', 9],
    ['* RUNNING', '`*` needs a state or group before it', 1],
  ] as const)('`%s` is rejected: %s at column %i', ([source, message, column]) => {
    let error: unknown;
    try {
      parsePattern(source);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect((error as PatternError).message).toBe(message);
    expect((error as PatternError).column).toBe(column);
  });
});
