/**
 * FlinkJobStatusWatcher.listJobsDetails: GET /jobs/overview on the cached REST URL; on any
 * failure, refresh the URL through the Kubernetes API and try once more.
 *
 *   Try { url = getClusterRestUrl (refresh if not cached; none → return None); call(url) }
 *   .getOrElse { url = refreshClusterRestUrl (none → return None); Try(call(url)) or None }
 *
 * A refresh whose Ingress lookup throws is caught by the outer Try the first time (no cached
 * URL) but escapes from the getOrElse branch: then the poll does nothing for this application.
 */
import { assign, sendTo, setup } from 'xstate';
import type { JobsOverview } from '../ports.ts';
import { portActors, restTimeouts } from '../port-actors.ts';
import { restUrlRefresherMachine, type RefreshResult } from './rest-url-refresher.ts';
import type { ListJobsResult, TrackerEnvironment } from './types.ts';

export interface ListJobsInput {
  env: TrackerEnvironment;
  namespace: string;
  clusterId: string;
  /** endpoints cache entry for this cluster, if present and fresh */
  cachedRestUrl: string | undefined;
  /** the cluster key the watcher caches the endpoint under */
  clusterKey: string;
  /**
   * The caller already made the first call on the cached URL and it failed: start at the
   * refresh-and-retry branch. (Probes make that first call themselves: it is the one call of
   * a healthy poll, and keeping it out of this machine keeps the common case cheap.)
   */
  firstCallFailed?: boolean;
  /** IngressController.clusterVersion is resolved in this console process (rest-url-refresher.ts) */
  clusterVersionResolved: boolean;
}

interface ListJobsContext extends ListJobsInput {
  restUrl: string | undefined;
  result: ListJobsResult;
}

export interface EndpointRefreshedEvent {
  type: 'endpoint.refreshed';
  clusterKey: string;
  url: string;
}

const refreshInput = ({ context }: { context: ListJobsContext }) => ({ env: context.env, namespace: context.namespace, clusterId: context.clusterId, clusterVersionResolved: context.clusterVersionResolved });
/**
 * callJobsOverviewsApi: `Request.get(…).connectTimeout(…).responseTimeout(…).execute` on the fluent
 * Executor's client, which retries a 503 or 429 once after 1 s (httpclient5 5.1.4 Executor.java
 * lines 61–72, DefaultHttpRequestRetryStrategy lines 160–162; ports.ts).
 */
export function jobsOverviewRequest(timing: TrackerEnvironment['timing'], restUrl: string) {
  return { restUrl, ...restTimeouts(timing), statusRetryIntervalMs: HTTPCLIENT5_STATUS_RETRY_INTERVAL_MS };
}

/** DefaultHttpRequestRetryStrategy's interval without a Retry-After header (Flink sends none): 1 s, not configurable in StreamPark. */
export const HTTPCLIENT5_STATUS_RETRY_INTERVAL_MS = 1_000;

const fetchInput = ({ context }: { context: ListJobsContext }) => ({
  ports: context.env.ports,
  request: jobsOverviewRequest(context.env.timing, context.restUrl ?? ''),
});

/** What JobDetails.as makes of a /jobs/overview answer. */
export function asResult(overview: JobsOverview): ListJobsResult {
  return overview === undefined ? { kind: 'none' } : { kind: 'jobs', jobs: overview.jobs.map(({ jid, state }) => ({ jid, state })) };
}

export const listJobsMachine = setup({
  types: {
    context: {} as ListJobsContext,
    input: {} as ListJobsInput,
    output: {} as ListJobsResult,
  },
  actors: { fetchJobsOverview: portActors.fetchJobsOverview, restUrlRefresher: restUrlRefresherMachine },
  guards: {
    hasCachedRestUrl,
    firstCallFailed: ({ context }) => context.firstCallFailed === true,
    refreshFound: (_, output: RefreshResult) => output.kind === 'found',
    refreshEscaped: (_, output: RefreshResult) => output.kind === 'escaped',
  },
  actions: {
    /** A refresh may have resolved the JVM-wide cluster version: the retry's refresh must not ask again. */
    keepClusterVersion: assign((_, output: RefreshResult) => ({ clusterVersionResolved: output.clusterVersionResolved })),
    /** refreshClusterRestUrl: endpoints.put(clusterKey, url) */
    cacheRestUrl: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): EndpointRefreshedEvent => ({ type: 'endpoint.refreshed', clusterKey: context.clusterKey, url: context.restUrl ?? '' }),
    ),
  },
}).createMachine({
  id: 'listJobsDetails',
  context: ({ input }) => ({ ...input, restUrl: input.cachedRestUrl, result: { kind: 'none' } }),
  initial: 'start',
  states: {
    start: {
      always: [{ guard: 'firstCallFailed', target: 'refreshingAfterFailure' }, { guard: 'hasCachedRestUrl', target: 'fetching' }, { target: 'resolvingRestUrl' }],
    },
    resolvingRestUrl: {
      invoke: {
        src: 'restUrlRefresher',
        input: refreshInput,
        onDone: [
          { guard: { type: 'refreshFound', params: ({ event }) => event.output }, target: 'fetching', actions: [{ type: 'keepClusterVersion', params: ({ event }) => event.output }, assign({ restUrl: ({ event }) => (event.output.kind === 'found' ? event.output.url : undefined) }), 'cacheRestUrl'] },
          // thrown inside the outer Try: caught, so the retry branch runs
          { guard: { type: 'refreshEscaped', params: ({ event }) => event.output }, target: 'refreshingAfterFailure', actions: { type: 'keepClusterVersion', params: ({ event }) => event.output } },
          { target: 'noJobs' },
        ],
      },
    },
    fetching: {
      invoke: {
        src: 'fetchJobsOverview',
        input: fetchInput,
        onDone: { target: 'answered', actions: assign({ result: ({ event }) => asResult(event.output) }) },
        onError: 'refreshingAfterFailure',
      },
    },
    refreshingAfterFailure: {
      invoke: {
        src: 'restUrlRefresher',
        input: refreshInput,
        onDone: [
          { guard: { type: 'refreshFound', params: ({ event }) => event.output }, target: 'retrying', actions: [{ type: 'keepClusterVersion', params: ({ event }) => event.output }, assign({ restUrl: ({ event }) => (event.output.kind === 'found' ? event.output.url : undefined) }), 'cacheRestUrl'] },
          { guard: { type: 'refreshEscaped', params: ({ event }) => event.output }, target: 'escaped', actions: assign({ result: ({ event }) => ({ kind: 'escaped', error: event.output.kind === 'escaped' ? event.output.error : '' }) as ListJobsResult }) },
          { target: 'noJobs' },
        ],
      },
    },
    retrying: {
      invoke: {
        src: 'fetchJobsOverview',
        input: fetchInput,
        onDone: { target: 'answered', actions: assign({ result: ({ event }) => asResult(event.output) }) },
        onError: 'noJobs', // "The retry fetch failed, final status failed"
      },
    },
    answered: { type: 'final' },
    noJobs: { type: 'final', entry: assign({ result: { kind: 'none' } }) },
    escaped: { type: 'final' },
  },
  output: ({ context }) => context.result,
});

/** What a probe's context holds for listJobsDetails. */
export interface ListingContext {
  env: TrackerEnvironment;
  clusterVersionResolved: boolean;
  trackId: { namespace: string; clusterId: string };
  cachedRestUrl: string | undefined;
  clusterKey: string;
  firstCallFailed: boolean;
}

/** The endpoints cache had a URL for this cluster (an empty one counts as none). */
export function hasCachedRestUrl({ context }: { context: Pick<ListingContext, 'cachedRestUrl'> }): boolean {
  return context.cachedRestUrl !== undefined && context.cachedRestUrl !== '';
}

/**
 * The probes' `listingJobs` state: listJobsDetails, with its first call — GET /jobs/overview on
 * the cached URL, the one call of a healthy poll — made by the probe itself, and the refresh and
 * retry in the listJobsDetails machine only when needed (a child machine per poll is costly).
 * Both probes name the actions `rememberListed` and `rememberFirstCallFailed`, and go to
 * `listedTarget` with what was listed.
 */
export function listingJobsState(listedTarget: string) {
  return {
    initial: 'start' as const,
    states: {
      start: { always: [{ guard: 'hasCachedRestUrl' as const, target: 'onCachedUrl' }, { target: 'withRefresh' }] },
      onCachedUrl: {
        invoke: {
          src: 'fetchJobsOverview' as const,
          input: ({ context }: { context: ListingContext }) => ({ ports: context.env.ports, request: jobsOverviewRequest(context.env.timing, context.cachedRestUrl ?? '') }),
          onDone: { target: listedTarget, actions: { type: 'rememberListed' as const, params: ({ event }: { event: { output: JobsOverview } }) => asResult(event.output) } },
          onError: { target: 'withRefresh', actions: 'rememberFirstCallFailed' as const },
        },
      },
      withRefresh: {
        invoke: {
          src: 'listJobsDetails' as const,
          input: ({ context }: { context: ListingContext }): ListJobsInput => ({
            env: context.env,
            namespace: context.trackId.namespace,
            clusterId: context.trackId.clusterId,
            cachedRestUrl: context.cachedRestUrl,
            clusterKey: context.clusterKey,
            firstCallFailed: context.firstCallFailed,
            clusterVersionResolved: context.clusterVersionResolved,
          }),
          onDone: { target: listedTarget, actions: { type: 'rememberListed' as const, params: ({ event }: { event: { output: ListJobsResult } }) => event.output } },
        },
      },
    },
  };
}
