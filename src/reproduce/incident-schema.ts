/**
 * The incident file format (docs/reproduce.md), as a zod schema: what an engineer saw (the
 * console's trace, roughly when), what was true (the job kept running, finished, …) and what is
 * known about the world, each fact with a time window and how sure it is. The loader runs it;
 * `statuschaos schema incident` prints it as JSON Schema. Cross-field rules are in incident-load.ts.
 */
import { z } from 'zod';
import { VARIANT_NAMES } from '../models/registry.ts';
import { LIMITS } from '../scenario/limits.ts';
import { ACTIONS, LISTED, duration, scenarioSchema, stateName, text } from '../scenario/schema.ts';
import { TARGETS } from '../scenario/toxics.ts';
import { describeValue } from '../errors/user-error.ts';
import { TIME_PATTERN } from '../scenario/incident-clock.ts';

/** What the job really did, as far as the engineer knows. */
export const TRUTHS = ['running', 'finished', 'failed', 'canceled', 'unknown'] as const;
export type Truth = (typeof TRUTHS)[number];

/** What is known of a network fault: refused or black-holed, slow, reset — or not known. */
export const NETWORK_KINDS = ['down', 'slow', 'resets', 'any'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

export const FACTS = ['jobmanager-restart', 'pod-eviction', 'pod-deletion', 'console-restart', 'network'] as const;
export type FactName = (typeof FACTS)[number];

export const CERTAINTIES = ['sure', 'maybe'] as const;

/** Limits of an incident file (docs/limits.md). */
export const INCIDENT_LIMITS = { facts: 20, observedTimes: 20, never: ACTIONS.length } as const;

const time = (what: string) =>
  z
    .string({ error: (issue) => `Expected \`${what}\` to be a time in quotes, like "14:02", 2024-03-21T14:02:00Z or 6m, got ${describeValue(issue.input)}${typeof issue.input === 'number' ? ' (quote times of day: YAML reads some of them as numbers)' : ''}` })
    .max(40, { error: `Expected \`${what}\` to be a time like "14:02", not a text of more than 40 characters` })
    .regex(new RegExp(TIME_PATTERN), { error: (issue) => `Expected \`${what}\` to be a time of day ("14:02"), a date-time with its zone (2024-03-21T14:02:00Z) or an offset from \`start\` (6m), got ${describeValue(issue.input)}` })
    .describe('a time of day "HH:MM[:SS]" on the start\'s clock, a date-time with its zone, or an offset from `start` like 6m');

/** When a fact happened: `at` give or take `within`, or between `from` and `to`. */
const window = {
  at: time('at').optional().describe('about when (with `within`), or use from/to'),
  within: duration('within').optional().describe('how far from `at` it may have been (default 1m)'),
  from: time('from').optional().describe('the earliest it may have begun'),
  to: time('to').optional().describe('the latest it may have ended'),
  certainty: z.enum(CERTAINTIES, { error: (issue) => `Expected \`certainty\` to be sure or maybe, got ${describeValue(issue.input)}` }).optional().describe('sure (default): it happened; maybe: it may have'),
  name: text('name', LIMITS.textChars).optional().describe('a label for the report'),
};

const downtime = duration('downtime').optional().describe('how long it was away, when known (default: the search tries several)');

const fact = z.discriminatedUnion(
  'fact',
  [
    z.object({ fact: z.literal('jobmanager-restart').describe('the JobManager container restarted in place (restartCount + 1, lastState.terminated)'), ...window, reason: text('reason', LIMITS.textChars).optional().describe('lastState.terminated.reason, e.g. OOMKilled (default: any)'), downtime }).strict(),
    z.object({ fact: z.literal('pod-eviction').describe('the JobManager pod was evicted and replaced'), ...window, listed: z.enum(LISTED).optional().describe('whether the evicted pod was listed before its replacement (default: either)'), downtime }).strict(),
    z.object({ fact: z.literal('pod-deletion').describe('the JobManager pod was deleted and replaced'), ...window, downtime }).strict(),
    z.object({ fact: z.literal('console-restart').describe('the StreamPark console process restarted'), ...window, downtime }).strict(),
    z
      .object({
        fact: z.literal('network').describe('network trouble between the tracker or the API server and a target'),
        ...window,
        target: z.union([z.enum(TARGETS), z.array(z.enum(TARGETS)).min(1).max(TARGETS.length)], { error: (issue) => `Expected \`target\` to be one of ${TARGETS.join(', ')} or a list of them, got ${describeValue(issue.input)}` }).describe('apiserver, flink-rest or etcd (between the API server and etcd), or a list when it is not known which'),
        kind: z.enum(NETWORK_KINDS, { error: (issue) => `Expected \`kind\` to be one of ${NETWORK_KINDS.join(', ')}, got ${describeValue(issue.input)}` }).optional().describe('down (refused or black-holed), slow, resets, or any (default: not known)'),
      })
      .strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `Expected \`fact\` to be one of ${FACTS.join(', ')}` : undefined) },
);

export const incidentSchema = z
  .object({
    name: text('name', LIMITS.nameChars).min(1, { error: 'Expected `name` to be a short name for the incident, not empty' }),
    description: text('description', LIMITS.descriptionChars, true).optional(),
    tracker: z.enum(VARIANT_NAMES, { error: (issue) => `Unknown tracker \`${String(issue.input)}\`; the variants are ${VARIANT_NAMES.join(', ')}` }).optional().describe('the StreamPark version (or tracker) that ran; absent: every variant is tried'),
    app: scenarioSchema.shape.app.describe('the Flink application, as in scenario files (mode, jobs, archive, ha, …)'),
    start: time('start').optional().describe('the incident clock at the moment the run begins (the job RUNNING, the console showing RUNNING): a time of day or a date-time'),
    end: time('end').optional().describe('when the console was last looked at: the observed trace is the one up to here (default: 5 minutes after the last time given)'),
    observed: z
      .object({
        trace: text('trace', LIMITS.textChars).describe('the console states as seen, in the trace language: `RUNNING → FAILED`'),
        ignore: z.array(stateName).optional().describe('states not looked for (transients like INITIALIZING)'),
        job: text('job', LIMITS.nameChars).optional().describe('session mode: whose console row'),
        times: z
          .array(z.object({ state: stateName, at: time('at'), tolerance: duration('tolerance').optional() }).strict())
          .max(INCIDENT_LIMITS.observedTimes, { error: `at most ${INCIDENT_LIMITS.observedTimes} observed times` })
          .optional()
          .describe('roughly when states were first shown, in trace order: `{ state: FAILED, at: "14:02" }`'),
        tolerance: duration('tolerance').optional().describe('how far off the observed times may be (default 1m)'),
      })
      .strict(),
    truth: z.enum(TRUTHS, { error: (issue) => `Expected \`truth\` to be one of ${TRUTHS.join(', ')}, got ${describeValue(issue.input)}` }).describe('what the job really did: kept running (Flink showed it running), finished, failed, was canceled, or unknown'),
    known: z.array(fact).max(INCIDENT_LIMITS.facts, { error: `at most ${INCIDENT_LIMITS.facts} known facts (docs/limits.md)` }).optional().describe('what is known about the world'),
    nothingElse: z.boolean().optional().describe('true: nothing happened but the known facts (default false: the search adds unknown events)'),
    never: z.array(z.enum(ACTIONS, { error: (issue) => `Unknown action \`${String(issue.input)}\`` })).max(INCIDENT_LIMITS.never).optional().describe('actions known not to have happened, e.g. [cancel-from-console]'),
  })
  .strict();

export type RawIncident = z.infer<typeof incidentSchema>;
export type RawFact = z.infer<typeof fact>;

/** JSON Schema (draft 2020-12) for incident files. */
export function incidentJsonSchema(): object {
  return { $id: 'https://statuschaos.dev/schema/incident.json', title: 'statuschaos incident', ...z.toJSONSchema(incidentSchema, { target: 'draft-2020-12' }) };
}
