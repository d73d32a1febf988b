/**
 * The bodies the REST stub answers, in the shape of Flink 1.18.1's (test/fixtures/flink/, held to
 * them by test/backends/flink/conformance.test.ts): the fields StreamPark reads with their values
 * from the FlinkCluster, the rest in the same shape.
 */

/** The version the stub answers as: the one whose answers test/fixtures/flink/ recorded. */
export const STUB_FLINK_VERSION = '1.18.1';

/** GET /config (DashboardConfigHandler). */
export const CONFIG = {
  'refresh-interval': 3000,
  'timezone-name': 'Coordinated Universal Time',
  'timezone-offset': 0,
  'flink-version': STUB_FLINK_VERSION,
  'flink-revision': 'statuschaos REST stub',
  features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
};

/** Flink's answer while its JobManager waits for leadership (LeaderRetrievalHandler, every handler). */
export const LEADER_ELECTION = { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] };

/** An error a handler raised (RestHandlerException), as Flink writes it: the exception, then its stack. */
export function handlerError(exception: string, message: string): { errors: string[] } {
  return { errors: [`${exception}: ${message}\n\tat statuschaos REST stub`] };
}

const TERMINAL = ['FAILED', 'FINISHED', 'CANCELED'];
/** Task counts by job state, as Flink reports the test job's two vertices (INITIALIZING: none yet). */
const TASKS: Record<string, Partial<Record<string, number>>> = {
  INITIALIZING: { total: 0 },
  RUNNING: { running: 2 },
  CANCELLING: { canceling: 2 },
  CANCELED: { canceled: 2 },
  FAILING: { canceling: 1, failed: 1 },
  FAILED: { canceled: 1, failed: 1 },
  FINISHED: { finished: 2 },
};
const JOB_STATES = ['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING'];
const TASK_STATES = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING'];
const VERTICES = [
  { id: 'bc764cd8ddf7a0cff126f51c16239658', name: 'Source: triggered-source' },
  { id: '20ba6b65f97481d5570070de90e4e791', name: 'double -> Sink: discard' },
];

interface Job {
  jid: string;
  name: string;
  state: string;
}

/** Flink's /jobs/overview entry for one job (JobDetails). */
export function jobEntry(job: Job, startTime: number) {
  const now = Date.now();
  const tasks = { running: 0, canceling: 0, canceled: 0, total: 2, created: 0, scheduled: 0, deploying: 0, reconciling: 0, finished: 0, initializing: 0, failed: 0, ...TASKS[job.state] };
  return {
    jid: job.jid,
    name: job.name,
    'start-time': startTime,
    'end-time': TERMINAL.includes(job.state) ? now : -1,
    duration: now - startTime,
    state: job.state,
    'last-modification': job.state === 'INITIALIZING' ? 0 : now,
    tasks,
  };
}

/** GET /overview (ClusterOverviewHandler). */
export function clusterOverview(jobs: readonly Job[]) {
  const count = (state: string) => jobs.filter((job) => job.state === state).length;
  return { taskmanagers: 1, 'slots-total': 1, 'slots-available': count('RUNNING') > 0 ? 0 : 1, 'jobs-running': jobs.length - count('FINISHED') - count('CANCELED') - count('FAILED'), 'jobs-finished': count('FINISHED'), 'jobs-cancelled': count('CANCELED'), 'jobs-failed': count('FAILED'), 'flink-version': STUB_FLINK_VERSION, 'flink-commit': 'stub' };
}

/** GET /jobs (JobIdsHandler). */
export function jobIds(jobs: readonly Job[]) {
  return { jobs: jobs.map((job) => ({ id: job.jid, status: job.state })) };
}

/** GET /jobs/:jid (JobDetailsHandler): the job, its two vertices and its plan. */
export function jobDetails(job: Job, startTime: number) {
  const now = Date.now();
  const ended = TERMINAL.includes(job.state);
  const taskCounts = (count: number) => Object.fromEntries(TASK_STATES.map((state) => [state, state === taskState(job.state) ? count : 0]));
  const metrics = { 'read-bytes': 0, 'read-bytes-complete': false, 'write-bytes': 0, 'write-bytes-complete': false, 'read-records': 0, 'read-records-complete': false, 'write-records': 0, 'write-records-complete': false, 'accumulated-backpressured-time': 0, 'accumulated-idle-time': 0, 'accumulated-busy-time': 0 };
  return {
    jid: job.jid,
    name: job.name,
    isStoppable: false,
    state: job.state,
    'start-time': startTime,
    'end-time': ended ? now : -1,
    duration: now - startTime,
    maxParallelism: -1,
    now,
    timestamps: Object.fromEntries(JOB_STATES.map((state) => [state, state === job.state || state === 'INITIALIZING' ? startTime : 0])),
    vertices: VERTICES.map((vertex) => ({ ...vertex, maxParallelism: 128, parallelism: 1, status: taskState(job.state), 'start-time': startTime, 'end-time': ended ? now : -1, duration: now - startTime, tasks: taskCounts(1), metrics })),
    'status-counts': taskCounts(2),
    plan: {
      jid: job.jid,
      name: job.name,
      type: 'STREAMING',
      nodes: [
        { id: VERTICES[1]!.id, parallelism: 1, operator: '', operator_strategy: '', description: 'double<br/>+- Sink: discard<br/>', inputs: [{ num: 0, id: VERTICES[0]!.id, ship_strategy: 'HASH', exchange: 'pipelined_bounded' }], optimizer_properties: {} },
        { id: VERTICES[0]!.id, parallelism: 1, operator: '', operator_strategy: '', description: 'Source: triggered-source<br/>', optimizer_properties: {} },
      ],
    },
  };
}

/** The state a job's tasks are in (Flink's ExecutionState names) for a job state. */
function taskState(jobState: string): string {
  if (jobState === 'CANCELLING') return 'CANCELING';
  if (jobState === 'FAILING') return 'CANCELING';
  return ['RUNNING', 'FINISHED', 'CANCELED', 'FAILED', 'INITIALIZING', 'CREATED', 'RECONCILING'].includes(jobState) ? jobState : 'CREATED';
}
