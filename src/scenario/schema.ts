/**
 * The scenario file format, as a zod schema: the validator the loader runs, and the source of
 * the JSON Schema that `statuschaos schema` prints for editors. Cross-field rules (windows that
 * overlap, events after `duration`, states in patterns) are checked in validate.ts.
 */
import { z } from 'zod';
import { CONSOLE_STATES, FLINK_JOB_STATES } from '../states.ts';
import { VARIANT_NAMES, type VariantName } from '../models/registry.ts';
import { PROFILE_NAMES, TIMING_FIELDS } from '../models/timing.ts';
import { ORACLE_NAMES } from './oracle-names.ts';
import { describeValue } from '../errors/user-error.ts';
import { LIMITS } from './limits.ts';
import { TARGETS, TOXICS, TOXIC_TYPES } from './toxics.ts';


export const ACTIONS = ['restart-jobmanager', 'crash-loop-jobmanager', 'delete-jobmanager-pod', 'evict-jobmanager-pod', 'delete-deployment', 'fail-job', 'finish-job', 'cancel-from-console', 'restart-tracker'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** Where a pod sorts among the JobManager pods the API lists (by name: a real name's random suffix decides; a scenario chooses). */
export const LISTED = ['first', 'last'] as const;
export type Listed = (typeof LISTED)[number];
const listed = (what: string) => z.enum(LISTED, { error: (issue) => `Expected \`listed\` of ${what} to be first or last, got \`${String(issue.input)}\`` });

/** Pod phases (PodStatus.phase). */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

/** Where Flink writes its history archive (ScenarioApp.archive, docs/scenarios.md). */
export const ARCHIVE_SETTINGS = ['none', 'workspace', 'fs-dir'] as const;
export type ArchiveSetting = (typeof ARCHIVE_SETTINGS)[number];

const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

const duration = (what: string) =>
  z
    .string({ error: `Expected \`${what}\` to be a duration like \`30s\`` })
    .max(40, { error: `Expected \`${what}\` to be a duration like \`30s\`, not a text of more than 40 characters` })
    .regex(new RegExp(DURATION_PATTERN), { error: (issue) => `Expected \`${what}\` to be a duration like \`30s\`, \`500ms\` or \`3m\`, got ${describeValue(issue.input)}` })
    .describe('a duration: a number followed by ms, s, m or h, e.g. 500ms, 30s, 3m, 1m30s');

/** Characters that would reach a terminal as commands (ESC, other C0/C1 controls) or reorder text (bidi overrides). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Text of at most `max` characters without control characters (`lines`: newlines and tabs allowed). */
const text = (what: string, max: number, lines = false) =>
  z
    .string({ error: `Expected \`${what}\` to be text` })
    .max(max, { error: (issue) => `\`${what}\` is longer than ${max} characters (${String((issue.input as string).length)}); see docs/limits.md` })
    .refine((value) => !(lines ? CONTROL : NAME_CONTROL).test(value), { error: `\`${what}\` contains control characters (escape sequences, bidi overrides), which terminals would act on` });

const oracleName = z.enum(ORACLE_NAMES, { error: (issue) => `Unknown oracle \`${String(issue.input)}\`; the oracles are ${ORACLE_NAMES.join(', ')}` });

const stateName = z.enum(CONSOLE_STATES, { error: (issue) => `Unknown console state \`${String(issue.input)}\`` });

const expectation = z
  .object({
    trace: text('trace', LIMITS.textChars).optional().describe('expected console-state trace, e.g. `RUNNING → FAILED → RUNNING`; groups ( | ), ?, *, +; repeats collapse'),
    ignore: z.array(stateName).optional().describe('states dropped from the trace before matching (transients like RESTARTING)'),
    final: stateName.optional().describe('the console state at the end of the run'),
    never: z.array(stateName).optional().describe('states that must never be written'),
    within: duration('within').optional().describe('the trace must reach its final state within this long after the last fault heals'),
    maxAlerts: z.number().int().min(0).max(1_000_000).optional().describe('at most this many alerts'),
    oracles: z
      .array(z.union([oracleName, z.record(oracleName, duration('bound'))]))
      .max(ORACLE_NAMES.length * 2)
      .optional()
      .describe(`truth oracles the variant must hold: ${ORACLE_NAMES.join(', ')}; a name, or \`{ name: bound }\` to override its default bound (docs/scenarios.md)`),
  })
  .strict();

const variantExpectations = z
  .object(Object.fromEntries(VARIANT_NAMES.map((name) => [name, expectation.optional()])) as Record<VariantName, z.ZodOptional<typeof expectation>>)
  .strict();

const attributeValue = z.union([z.number().min(0, { error: 'Toxic attributes must not be negative' }).max(LIMITS.attributeMax, { error: `Toxic attributes are at most ${LIMITS.attributeMax} (Toxiproxy's integers)` }), z.string().max(40).regex(new RegExp(DURATION_PATTERN))], {
  error: (issue) => `Expected a number ≥ 0 or a duration like \`300ms\`, got ${describeValue(issue.input)}`,
});

const allAttributeNames = [...new Set(Object.values(TOXICS).flatMap((definition) => Object.keys(definition.attributes)))];

const fault = z
  .object({
    target: z.enum(TARGETS, { error: (issue) => `Unknown target \`${String(issue.input)}\`` }).describe('apiserver (the Kubernetes API), flink-rest (the JobManager REST endpoint) or etcd (between the API server and etcd: sim and local backends only)'),
    toxic: z.enum(TOXIC_TYPES, { error: (issue) => `Unknown toxic \`${String(issue.input)}\`` }).describe('a Toxiproxy toxic type, or `down` (the proxy disabled)'),
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
    action: z.enum(ACTIONS, { error: (issue) => `Unknown action \`${String(issue.input)}\`` }).optional(),
    downtime: duration('downtime').optional().describe('restart-jobmanager / delete-jobmanager-pod: until the JobManager serves again; restart-tracker: until the console is back'),
    reason: text('reason', LIMITS.textChars).optional().describe("restart-jobmanager, crash-loop-jobmanager: the terminated container's reason (default Error)"),
    job: text('job', LIMITS.nameChars).optional().describe('session mode: which job the action is about'),
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
    name: text('name', LIMITS.nameChars).min(1, { error: 'Expected `name` to be a short name for the scenario, not empty' }),
    description: text('description', LIMITS.descriptionChars, true).optional(),
    app: z
      .object({
        clusterId: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `clusterId` to be a Kubernetes name (lower case letters, digits, -)' }).max(45).optional(),
        namespace: z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `namespace` to be a Kubernetes name' }).optional(),
        mode: z.enum(['application', 'session']).optional(),
        jobs: z.array(text('jobs', LIMITS.nameChars).min(1)).min(1).max(LIMITS.jobs, { error: `a session cluster runs at most ${LIMITS.jobs} jobs here (docs/limits.md)` }).optional().describe('session mode: the jobs running in the cluster (one console application each)'),
        recovery: z.array(recoveryStep).max(LIMITS.recoverySteps, { error: `at most ${LIMITS.recoverySteps} recovery steps (docs/limits.md)` }).optional().describe('what Flink reports after the JobManager comes back, before RUNNING (default: what Flink 1.18 reports, with or without HA)'),
        archive: z
          .enum(ARCHIVE_SETTINGS, { error: (issue) => `Expected \`archive\` to be one of ${ARCHIVE_SETTINGS.join(', ')}, got \`${String(issue.input)}\`` })
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
                phase: z.enum(POD_PHASES, { error: (issue) => `Expected a pod phase (${POD_PHASES.join(', ')}), got \`${String(issue.input)}\`` }),
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
