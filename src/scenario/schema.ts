/**
 * The scenario file format, as a zod schema: the validator the loader runs, and the source of
 * the JSON Schema that `statuschaos schema` prints for editors. Cross-field rules (windows that
 * overlap, events after `duration`, states in patterns) are checked in validate.ts.
 */
import { z } from 'zod';
import { CONSOLE_STATES, FLINK_JOB_STATES } from '../states.ts';
import { VARIANT_NAMES, type VariantName } from '../models/registry.ts';
import { PROFILE_NAMES, TIMING_FIELDS } from '../models/timing.ts';
import { TARGETS, TOXICS, TOXIC_TYPES } from './toxics.ts';


export const ACTIONS = ['restart-jobmanager', 'crash-loop-jobmanager', 'delete-jobmanager-pod', 'delete-deployment', 'fail-job', 'finish-job', 'cancel-from-console', 'restart-tracker'] as const;
export type ActionName = (typeof ACTIONS)[number];

const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

const duration = (what: string) =>
  z.string({ error: `Expected \`${what}\` to be a duration like \`30s\`` }).regex(new RegExp(DURATION_PATTERN), { error: (issue) => `Expected \`${what}\` to be a duration like \`30s\`, \`500ms\` or \`3m\`, got \`${String(issue.input)}\`` }).describe('a duration: a number followed by ms, s, m or h, e.g. 500ms, 30s, 3m, 1m30s');

const stateName = z.enum(CONSOLE_STATES, { error: (issue) => `Unknown console state \`${String(issue.input)}\`` });

const expectation = z
  .object({
    trace: z.string().optional().describe('expected console-state trace, e.g. `RUNNING → FAILED → RUNNING`; groups ( | ), ?, *, +; repeats collapse'),
    ignore: z.array(stateName).optional().describe('states dropped from the trace before matching (transients like RESTARTING)'),
    final: stateName.optional().describe('the console state at the end of the run'),
    never: z.array(stateName).optional().describe('states that must never be written'),
    within: duration('within').optional().describe('the trace must reach its final state within this long after the last fault heals'),
    maxAlerts: z.number().int().min(0).optional().describe('at most this many alerts'),
  })
  .strict();

const variantExpectations = z
  .object(Object.fromEntries(VARIANT_NAMES.map((name) => [name, expectation.optional()])) as Record<VariantName, z.ZodOptional<typeof expectation>>)
  .strict();

const attributeValue = z.union([z.number().min(0, { error: 'Toxic attributes must not be negative' }), z.string().regex(new RegExp(DURATION_PATTERN), { error: (issue) => `Expected a number or a duration like \`300ms\`, got \`${String(issue.input)}\`` })]);

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
    name: z.string().optional().describe('a label for the report'),
    fault: fault.optional(),
    for: duration('for').optional().describe('how long the fault stays (default: to the end)'),
    action: z.enum(ACTIONS, { error: (issue) => `Unknown action \`${String(issue.input)}\`` }).optional(),
    downtime: duration('downtime').optional().describe('restart-jobmanager / delete-jobmanager-pod: until the JobManager serves again; restart-tracker: until the console is back'),
    reason: z.string().optional().describe("restart-jobmanager, crash-loop-jobmanager: the terminated container's reason (default Error)"),
    job: z.string().optional().describe('session mode: which job the action is about'),
  })
  .strict();

const recoveryStep = z.object({ state: z.union([z.enum(FLINK_JOB_STATES), z.literal('none')]).describe('the job state Flink reports, or none (no job listed yet)'), for: duration('for') }).strict();

const timingObject = z
  .object({
    profile: z.enum(PROFILE_NAMES).optional(),
    ...Object.fromEntries(TIMING_FIELDS.map((field) => [field.replace(/Ms$/, ''), duration(field.replace(/Ms$/, '')).optional()])),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string({ error: 'Expected `name`, a short name for the scenario' }).min(1),
    description: z.string().optional(),
    app: z
      .object({
        clusterId: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `clusterId` to be a Kubernetes name (lower case letters, digits, -)' }).max(45).optional(),
        namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'Expected `namespace` to be a Kubernetes name' }).optional(),
        mode: z.enum(['application', 'session']).optional(),
        jobs: z.array(z.string().min(1)).min(1).optional().describe('session mode: the jobs running in the cluster (one console application each)'),
        recovery: z.array(recoveryStep).optional().describe('what Flink reports after the JobManager comes back, before RUNNING'),
        archive: z.boolean().optional().describe('Flink writes a history archive when a job ends (default true)'),
        shutdownDelay: duration('shutdownDelay').optional().describe('application mode: how long after a job ends Flink deletes the deployment (default 3s)'),
      })
      .strict()
      .optional(),
    timing: z.union([z.enum(PROFILE_NAMES), timingObject]).optional().describe('timing profile: streampark (StreamPark defaults) or fast (same ratios, 10× faster on live backends), with overrides'),
    duration: duration('duration'),
    seed: z.number().int().optional(),
    discriminates: z.boolean().optional().describe('false marks a control scenario whose expectations are meant to be the same for buggy and fixed variants'),
    timeline: z.array(timelineEntry).optional(),
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
