/**
 * The scenario file format, as a zod schema: the validator the loader runs, and the source of
 * the JSON Schema that `statuschaos schema` prints for editors. Cross-field rules (windows that
 * overlap, events after `duration`, states in patterns) are checked in validate.ts.
 */
import { z } from 'zod';
import { FLINK_JOB_STATES } from '../states.ts';
import { ALL_CONSOLE_STATES } from '../systems/registry.ts';
import { TRACKER_NAMES } from '../trackers/registry.ts';
import { PROFILE_NAMES, TIMING_FIELDS } from '../models/timing.ts';
import { ORACLE_NAMES } from './oracle-names.ts';
import { describeValue, suggestion } from '../errors/user-error.ts';
import { LIMITS } from './limits.ts';
import { TARGETS, TOXICS, TOXIC_TYPES } from './toxics.ts';


import { ACTIONS } from './actions.ts';
export { ACTIONS, type ActionName } from './actions.ts';

/** Where a pod sorts among the JobManager pods the API lists (by name: a real name's random suffix decides; a scenario chooses). */
export const LISTED = ['first', 'last'] as const;
export type Listed = (typeof LISTED)[number];
const listed = (what: string) => z.enum(LISTED, { error: (issue) => `Expected \`listed\` of ${what} to be first or last, got ${shown(issue.input)}` });

/** Pod phases (PodStatus.phase). */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

/** Where Flink writes its history archive (ScenarioApp.archive, docs/scenarios.md). */
export const ARCHIVE_SETTINGS = ['none', 'workspace', 'fs-dir'] as const;
export type ArchiveSetting = (typeof ARCHIVE_SETTINGS)[number];

/**
 * One of `values`, with a message that names what the file has: `Unknown toxic \`dwn\``, or for a
 * value that is no name at all, `Expected a toxic name, got a list`; a missing one is left to the
 * generic "missing `toxic`" message (zod's input is undefined then).
 */
const oneOf = <const T extends readonly string[]>(values: T, what: string) =>
  z.enum(values as unknown as readonly [T[number], ...T[number][]], { error: (issue) => (issue.input === undefined ? undefined : typeof issue.input === 'string' ? `Unknown ${what} \`${issue.input}\` (${suggestion(issue.input, values)})` : `Expected ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} name, got ${describeValue(issue.input)}`) });

/** A refused value as a message shows it: \`dwn\` for a name, else what it is (`a list`, `42`). */
const shown = (input: unknown) => (typeof input === 'string' ? `\`${input}\`` : describeValue(input));

const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

export const duration = (what: string) =>
  z
    .string({ error: `Expected \`${what}\` to be a duration like \`30s\`` })
    .max(40, { error: `Expected \`${what}\` to be a duration like \`30s\`, not a text of more than 40 characters` })
    .regex(new RegExp(DURATION_PATTERN), { error: (issue) => `Expected \`${what}\` to be a duration like \`30s\`, \`500ms\` or \`3m\`, got ${describeValue(issue.input)}` })
    .describe('a duration: a number followed by ms, s, m or h, e.g. 500ms, 30s, 3m, 1m30s');

/** Characters that would reach a terminal as commands (ESC, other C0/C1 controls) or reorder text (bidi overrides). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Characters a name must not have beyond control characters: invisible ones (U+200B zero-width
 * space, U+FEFF, soft hyphen: Unicode's format characters) and spaces other than the plain one
 * (U+00A0, U+3000, …). With them two names look the same and are not (`x` and `x\u200b`).
 */
const LOOK_ALIKE = /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A scenario or job name: text without control, invisible or look-alike characters. */
const nameText = (what: string, max: number) =>
  text(what, max).refine((value) => NAME_CONTROL.test(value) || !LOOK_ALIKE.test(value), { error: (issue) => `\`${what}\` contains ${codePoint(LOOK_ALIKE.exec(issue.input as string)![0])}, an invisible or look-alike character: two names that look the same would differ` });

/** Text of at most `max` characters without control characters (`lines`: newlines and tabs allowed). */
export const text = (what: string, max: number, lines = false) =>
  z
    .string({ error: `Expected \`${what}\` to be text` })
    .max(max, { error: (issue) => `\`${what}\` is longer than ${max} characters (${String((issue.input as string).length)}); see docs/limits.md` })
    .refine((value) => !(lines ? CONTROL : NAME_CONTROL).test(value), { error: `\`${what}\` contains control characters (escape sequences, bidi overrides), which terminals would act on` });

const oracleName = oneOf(ORACLE_NAMES, 'oracle');

export const stateName = oneOf(ALL_CONSOLE_STATES, 'console state');

const expectation = z
  .object({
    trace: text('trace', LIMITS.textChars).optional().describe('expected console-state trace, e.g. `RUNNING → FAILED → RUNNING`; groups ( | ), ?, *, +; repeats collapse'),
    ignore: z.array(stateName).optional().describe('states dropped from the trace before matching (transients like RESTARTING)'),
    final: stateName.optional().describe('the console state at the end of the run'),
    never: z.array(stateName).optional().describe('states that must never be written'),
    within: duration('within').optional().describe('the trace must reach its final state within this long after the last fault heals'),
    maxAlerts: z.number().int().min(0).max(1_000_000).optional().describe('at most this many alerts'),
    oracles: z
      // a partial record: `{ converges: 30s }` names one oracle (a z.record over an enum needs every key)
      .array(z.union([oracleName, z.partialRecord(oracleName, duration('bound'))], { error: (issue) => `Expected an oracle name (${ORACLE_NAMES.join(', ')}) or \`{ name: bound }\` like \`{ converges: 30s }\`, got ${describeValue(issue.input)}` }))
      .max(ORACLE_NAMES.length * 2)
      .optional()
      .describe(`truth oracles the variant must hold: ${ORACLE_NAMES.join(', ')}; a name, or \`{ name: bound }\` to override its default bound (docs/scenarios.md)`),
  })
  .strict();

const variantExpectations = z
  .object(Object.fromEntries(TRACKER_NAMES.map((name) => [name, expectation.optional()])) as Record<string, z.ZodOptional<typeof expectation>>)
  .strict();

const attributeValue = z.union([z.number().min(0, { error: 'Toxic attributes must not be negative' }).max(LIMITS.attributeMax, { error: `Toxic attributes are at most ${LIMITS.attributeMax} (Toxiproxy's integers)` }), z.string().max(40).regex(new RegExp(DURATION_PATTERN))], {
  error: (issue) => `Expected a number ≥ 0 or a duration like \`300ms\`, got ${describeValue(issue.input)}`,
});

const allAttributeNames = [...new Set(Object.values(TOXICS).flatMap((definition) => Object.keys(definition.attributes)))];

const fault = z
  .object({
    target: oneOf(TARGETS, 'target').describe('apiserver (the Kubernetes API), flink-rest (the JobManager REST endpoint) or etcd (between the API server and etcd: sim and local backends only)'),
    toxic: oneOf(TOXIC_TYPES, 'toxic').describe('a Toxiproxy toxic type, or `down` (the proxy disabled)'),
    stream: z.enum(['upstream', 'downstream']).optional().describe("Toxiproxy's stream; default downstream"),
    toxicity: z.number().min(0).max(1).optional().describe('probability that a connection is affected; default 1'),
    ...Object.fromEntries(allAttributeNames.map((name) => [name, attributeValue.optional()])),
  })
  .strict();

const timelineEntry = z
  .object({
    at: duration('at').describe('when, from the start of the run'),
    name: text('name', LIMITS.textChars).optional().describe('a label for the report'),
    fault: fault.optional(),
    for: duration('for').optional().describe('how long the fault stays (default: to the end)'),
    action: oneOf(ACTIONS, 'action').optional(),
    downtime: duration('downtime').optional().describe('restart-jobmanager / delete-jobmanager-pod: until the JobManager serves again; restart-tracker: until the console is back'),
    reason: text('reason', LIMITS.textChars).optional().describe("restart-jobmanager, crash-loop-jobmanager: the terminated container's reason (default Error)"),
    job: nameText('job', LIMITS.nameChars).optional().describe('session mode: which job the action is about'),
    listed: listed('evict-jobmanager-pod').optional().describe('evict-jobmanager-pod: whether the evicted pod sorts before (first) or after (last) its replacement in the API\'s list, i.e. which one pods.head is'),
  })
  .strict();

const recoveryStep = z
  .object({
    state: z.union([z.enum(FLINK_JOB_STATES), z.literal('none'), z.literal('unavailable')]).describe('the job state Flink reports, none (no job listed yet) or unavailable (the REST API answers 503 until the JobManager is leader)'),
    for: duration('for'),
  })
  .strict();

const timingObject = z
  .object({
    profile: z.enum(PROFILE_NAMES).optional(),
    ...Object.fromEntries(TIMING_FIELDS.map((field) => [field.replace(/Ms$/, ''), duration(field.replace(/Ms$/, '')).optional()])),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: nameText('name', LIMITS.nameChars).min(1, { error: 'Expected `name` to be a short name for the scenario, not empty' }),
    description: text('description', LIMITS.descriptionChars, true).optional(),
    app: z
      .object({
        clusterId: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `clusterId` to be a Kubernetes name (lower case letters, digits, -)' }).max(45).optional(),
        namespace: z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `namespace` to be a Kubernetes name' }).optional(),
        mode: z.enum(['application', 'session']).optional(),
        jobs: z.array(nameText('jobs', LIMITS.nameChars).min(1)).min(1).max(LIMITS.jobs, { error: `a session cluster runs at most ${LIMITS.jobs} jobs here (docs/limits.md)` }).optional().describe('session mode: the jobs running in the cluster (one console application each)'),
        recovery: z.array(recoveryStep).max(LIMITS.recoverySteps, { error: `at most ${LIMITS.recoverySteps} recovery steps (docs/limits.md)` }).optional().describe('what Flink reports after the JobManager comes back, before RUNNING (default: what Flink 1.18 reports, with or without HA)'),
        archive: z
          .enum(ARCHIVE_SETTINGS, { error: (issue) => `Expected \`archive\` to be one of ${ARCHIVE_SETTINGS.join(', ')}, got ${shown(issue.input)}` })
          .optional()
          .describe('where Flink writes the history archive when a job ends: none (default: a stock Kubernetes-only install), workspace (a 2.1.3 console with Hadoop set it), fs-dir (jobmanager.archive.fs.dir in the Flink env)'),
        ha: z.boolean().optional().describe('Flink high availability: a restarted JobManager recovers its jobs under the same ids (default false: StreamPark does not configure HA)'),
        fixedJobId: z
          .boolean()
          .optional()
          .describe("application mode: the job runs under the id StreamPark fixed at submit ($internal.pipeline.job-id), kept across JobManager restarts (default true); false: a restart without HA runs it under a new id"),
        pods: z
          .array(
            z
              .object({
                listed: listed('a pod in app.pods').describe('first: listed before the JobManager pod (pods.head); last: after it'),
                phase: z.enum(POD_PHASES, { error: (issue) => `Expected a pod phase (${POD_PHASES.join(', ')}), got ${shown(issue.input)}` }),
                reason: text('reason', LIMITS.textChars).optional().describe('status.reason, e.g. Evicted'),
                terminating: z.boolean().optional().describe('deletionTimestamp set, the pod still listed (e.g. stuck Terminating on a lost node)'),
                lastTerminated: text('lastTerminated', LIMITS.textChars).optional().describe("its container's lastState.terminated reason (the container restarted before), e.g. OOMKilled"),
              })
              .strict(),
          )
          .max(LIMITS.extraPods, { error: `at most ${LIMITS.extraPods} left-over pods (docs/limits.md)` })
          .optional()
          .describe('JobManager pods left over beside the running one (an evicted pod, one stuck Terminating), listed by the Deployment\'s selector'),
        shutdownDelay: duration('shutdownDelay').optional().describe('application mode: how long after a job ends Flink shuts the cluster down and deletes the deployment (default 1s, as recorded on Flink 1.18)'),
        console: z
          .object({
            cpus: z
              .number({ error: (issue) => `Expected \`cpus\` to be a whole number of cores, got ${describeValue(issue.input)}` })
              .int({ error: 'Expected `cpus` to be a whole number of cores' })
              .min(1, { error: 'Expected `cpus` to be at least 1' })
              .max(LIMITS.consoleCpus, { error: `Expected \`cpus\` to be at most ${LIMITS.consoleCpus} (docs/limits.md)` })
              .optional()
              .describe("the StreamPark console's visible cores, which size its poll pools (2.1.3: one thread per core; 2.1.4: max(4, 2 × cores)); default: as many threads as the polls need"),
          })
          .strict()
          .optional()
          .describe('the StreamPark console process'),
      })
      .strict()
      .optional(),
    timing: z
      .union([z.enum(PROFILE_NAMES), timingObject], { error: (issue) => `Expected \`timing\` to be a profile (${PROFILE_NAMES.join(' or ')}) or a mapping of overrides like \`{ profile: fast, pollInterval: 2s }\`, got ${describeValue(issue.input)}` })
      .optional().describe('timing profile: streampark (StreamPark defaults) or fast (same ratios, 10× faster on live backends), with overrides'),
    duration: duration('duration'),
    seed: z.number().int().min(0, { error: `Expected \`seed\` to be a whole number from 0 to ${LIMITS.seedMax}` }).max(LIMITS.seedMax, { error: `Expected \`seed\` to be a whole number from 0 to ${LIMITS.seedMax} (seeds are 32-bit)` }).optional(),
    discriminates: z.boolean().optional().describe('false marks a control scenario whose expectations are meant to be the same for buggy and fixed variants'),
    timeline: z.array(timelineEntry).max(LIMITS.timelineEntries, { error: `a timeline has at most ${LIMITS.timelineEntries} entries (docs/limits.md)` }).optional(),
    expect: variantExpectations.optional(),
  })
  .strict();

export type RawScenario = z.infer<typeof scenarioSchema>;

/** JSON Schema (draft 2020-12) for scenario files, generated from the validator. */
export function scenarioJsonSchema(): object {
  return {
    $id: 'https://statuschaos.dev/schema/scenario.json',
    title: 'statuschaos scenario',
    ...z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12' }),
  };
}
