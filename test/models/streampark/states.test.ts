// the two state enums and the rules between them.
import { describe, expect, test } from 'vitest';
import { inferStateFromPersist, isConsoleEndState, isWatcherEndState, toConsoleState, toWatcherState, trackingFlag, WATCHER_END_STATES } from '../../../src/models/streampark/states.ts';
import { parseFlinkJobState } from '../../../src/states.ts';
import { CONSOLE_STATES } from '../../../src/systems/streampark.ts';

describe('states', () => {
  test('an unknown state name parses as OTHER', () => {
    expect(parseFlinkJobState('RUNNING')).toBe('RUNNING');
    expect(parseFlinkJobState('DEPLOYING')).toBe('OTHER');
    expect(parseFlinkJobState(undefined)).toBe('OTHER');
  });

  test('end states: watcher and console sets as in the sources', () => {
    expect([...WATCHER_END_STATES].sort()).toEqual(['CANCELED', 'FAILED', 'FINISHED', 'LOST', 'POS_TERMINATED', 'TERMINATED']);
    expect(CONSOLE_STATES.filter((state) => isConsoleEndState(state)).sort()).toEqual(['CANCELED', 'FAILED', 'FINISHED', 'KILLED', 'LOST', 'SUCCEEDED', 'TERMINATED']);
  });

  test('POS_TERMINATED is a watcher end state but not a console one', () => {
    expect(isWatcherEndState('POS_TERMINATED')).toBe(true);
    expect(isConsoleEndState('POS_TERMINATED')).toBe(false);
  });

  test.for([
    ['K8S_INITIALIZING', 'INITIALIZING'],
    ['RUNNING', 'RUNNING'],
    ['SILENT', 'SILENT'],
    ['STARTING', 'STARTING'],
    ['OTHER', 'OTHER'],
  ] as const)('watcher %s shows as console %s', ([watcher, console]) => {
    expect(toConsoleState(watcher)).toBe(console);
  });

  test('console-only states map back to OTHER for the watcher', () => {
    expect(toWatcherState('ADDED')).toBe('OTHER');
    expect(toWatcherState('CANCELLING')).toBe('CANCELLING');
  });

  test.for([
    ['ADDED', 0], ['CREATED', 0], ['FINISHED', 0], ['FAILED', 0], ['CANCELED', 0], ['TERMINATED', 0], ['POS_TERMINATED', 0], ['LOST', 0],
    ['RUNNING', 1], ['SILENT', 1], ['INITIALIZING', 1], ['RESTARTING', 1], ['CANCELLING', 1], ['KILLED', 1], ['SUCCEEDED', 1],
  ] as const)('tracking flag of %s is %i', ([state, flag]) => {
    expect(trackingFlag(state)).toBe(flag);
  });

  test.for([
    ['POS_TERMINATED', 'CANCELLING', 'CANCELED'],
    ['TERMINATED', 'CANCELLING', 'CANCELED'],
    ['POS_TERMINATED', 'FAILING', 'FAILED'],
    ['TERMINATED', 'FAILING', 'FAILED'],
    ['POS_TERMINATED', 'RUNNING', 'FINISHED'],
    ['TERMINATED', 'RUNNING', 'TERMINATED'],
    ['RUNNING', 'CANCELLING', 'RUNNING'],
  ] as const)('%s after stored %s is inferred as %s', ([current, previous, inferred]) => {
    expect(inferStateFromPersist(current, previous)).toBe(inferred);
  });
});
