// the pure decision rules (isDeploymentError, inferFromPreCache, the cache lifetime).
import { describe, expect, test } from 'vitest';
import type { PodView } from '../../../src/models/ports.ts';
import { freshEntry, inferFromPreCache, isDeploymentError, pollAckTimeFor, statusDiffers } from '../../../src/models/streampark/rules.ts';

const pod = (phase: string, container?: Partial<PodView['containers'][number]> | null): PodView[] => [
  { name: 'jm', phase, containers: container === null ? [] : [{ name: 'c', restartCount: 0, ready: true, ...container }] },
];

describe('isDeploymentError', () => {
  test.for([
    ['no pod (the list failed or was empty)', [], true],
    ['phase Unknown', pod('Unknown'), true],
    ['phase Failed', pod('Failed'), true],
    ['phase Pending, even with lastState', pod('Pending', { lastTerminated: { reason: 'Error', exitCode: 1 } }), false],
    ['Running, never restarted', pod('Running'), false],
    ['Running after a restart (lastState.terminated set)', pod('Running', { restartCount: 1, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }), true],
    ['Succeeded, never restarted', pod('Succeeded'), false],
    ['Running with no container status', pod('Running', null), true],
  ] as const)('%s → %s', ([, pods, error]) => {
    expect(isDeploymentError(pods as PodView[])).toBe(error);
  });
});

describe('fromPreCache', () => {
  const keep = 60_000;
  test('no cache entry → SILENT', () => expect(inferFromPreCache(undefined, 1_000, keep)).toBe('SILENT'));
  test('SILENT for at least the keep time → LOST', () => expect(inferFromPreCache({ state: 'SILENT', jobId: 'j', pollAckTime: 0, writtenAt: 0 }, 60_000, keep)).toBe('LOST'));
  test('SILENT for less than the keep time → SILENT', () => expect(inferFromPreCache({ state: 'SILENT', jobId: 'j', pollAckTime: 0, writtenAt: 0 }, 59_999, keep)).toBe('SILENT'));
  test('any other cached state → SILENT', () => expect(inferFromPreCache({ state: 'RUNNING', jobId: 'j', pollAckTime: 0, writtenAt: 0 }, 600_000, keep)).toBe('SILENT'));
  test('a SILENT after a cached SILENT keeps the older poll time (so it can age into LOST)', () => {
    expect(pollAckTimeFor('SILENT', { state: 'SILENT', jobId: 'j', pollAckTime: 5, writtenAt: 5 }, 99)).toBe(5);
    expect(pollAckTimeFor('SILENT', { state: 'RUNNING', jobId: 'j', pollAckTime: 5, writtenAt: 5 }, 99)).toBe(99);
  });
});

describe('jobStatuses cache', () => {
  test('an entry expires 20 s after it was written (expireAfterWrite)', () => {
    const entry = { writtenAt: 1_000 };
    expect(freshEntry(entry, 20_999, 20_000)).toBe(entry);
    expect(freshEntry(entry, 21_000, 20_000)).toBeUndefined();
  });
  test('a status is published when there is no entry, or the state or the job id changed', () => {
    const cached = { state: 'RUNNING' as const, jobId: 'j', pollAckTime: 0, writtenAt: 0 };
    expect(statusDiffers(undefined, 'RUNNING', 'j')).toBe(true);
    expect(statusDiffers(cached, 'RUNNING', 'j')).toBe(false);
    expect(statusDiffers(cached, 'FAILED', 'j')).toBe(true);
    expect(statusDiffers(cached, 'RUNNING', 'k')).toBe(true);
  });
});
