/**
 * FlinkK8sWatchController.refreshClusterRestUrl → KubernetesRetriever.retrieveFlinkRestUrl.
 *
 * v2.1.3: Flink's cluster-client retrieval reads the `<clusterId>-rest` Service (any failure is
 * caught: no URL); then IngressStrategy.getIngressUrl reads the Ingress, and a failure there is
 * rethrown as RuntimeException, which escapes the whole poll of this application.
 * v2.1.4: the Ingress is read first with errors swallowed, then the Service (failure: no URL).
 *
 * Both reach IngressController's `lazy val clusterVersion` (IngressController.scala lines 32–34,
 * both tags): `GET /version` in `using(new DefaultKubernetesClient)` with no handler. Until it
 * succeeds once in the JVM, every access runs it again, and a failure escapes the refresh.
 * v2.1.4 reaches it first (getIngressUrl → ingressStrategy, KubernetesRetriever.scala v2.1.4
 * lines 163–172); v2.1.3 only after the Service read succeeded (v2.1.3 lines 138–150).
 */
import { assign, not, sendTo, setup } from 'xstate';
import { apiTimeouts, portActors } from '../port-actors.ts';
import type { TrackerEnvironment } from './types.ts';

export interface RefresherInput {
  env: TrackerEnvironment;
  namespace: string;
  clusterId: string;
  /** IngressController.clusterVersion has been computed in this console process */
  clusterVersionResolved: boolean;
}

/** What a refresh found, and whether the JVM-wide cluster version is resolved afterwards. */
export type RefreshResult = ({ kind: 'found'; url: string } | { kind: 'none' } | { kind: 'escaped'; error: string }) & { clusterVersionResolved: boolean };

/** Sent to the watcher when `GET /version` succeeded: the lazy val is initialised for good. */
export interface ClusterVersionResolvedEvent {
  type: 'clusterVersion.resolved';
}

interface RefresherContext extends RefresherInput {
  serviceUrl?: string;
  ingressUrl?: string;
  result: RefreshResult;
}

const lookupInput = ({ context }: { context: RefresherContext }) => ({
  ports: context.env.ports,
  request: { namespace: context.namespace, clusterId: context.clusterId, ...apiTimeouts(context.env.timing) },
});

export const restUrlRefresherMachine = setup({
  types: {
    context: {} as RefresherContext,
    input: {} as RefresherInput,
    output: {} as RefreshResult,
  },
  actors: { lookupRestService: portActors.lookupRestService, lookupIngress: portActors.lookupIngress, getApiServerVersion: portActors.getApiServerVersion },
  guards: {
    /** v2.1.4 reads the Ingress before building the Flink cluster client. */
    looksUpIngressFirst: () => false,
    hasServiceUrl: ({ context }) => context.serviceUrl !== undefined,
    hasIngressUrl: ({ context }) => context.ingressUrl !== undefined,
    clusterVersionUnresolved: ({ context }) => !context.clusterVersionResolved,
  },
  actions: {
    useIngressOrServiceUrl: assign({
      result: ({ context }): RefreshResult => ({ kind: 'found', url: context.ingressUrl ?? context.serviceUrl ?? '', clusterVersionResolved: context.clusterVersionResolved }),
    }),
    /** the lazy val is initialised: for this refresh, and for the JVM (the watcher keeps it) */
    rememberClusterVersion: assign({ clusterVersionResolved: true }),
    tellWatcherClusterVersionResolved: sendTo(({ system }) => system.get('watcher'), { type: 'clusterVersion.resolved' } satisfies ClusterVersionResolvedEvent),
    escape: assign({ result: ({ context }, params: { error: unknown }): RefreshResult => ({ kind: 'escaped', error: String(params.error), clusterVersionResolved: context.clusterVersionResolved }) }),
  },
}).createMachine({
  id: 'restUrlRefresher',
  context: ({ input }) => ({ ...input, result: { kind: 'none', clusterVersionResolved: input.clusterVersionResolved } }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: 'looksUpIngressFirst', target: 'versionBeforeIngress' },
        { target: 'service' },
      ],
    },
    // v2.1.4: getIngressUrl touches ingressStrategy → clusterVersion before anything else
    versionBeforeIngress: {
      always: [{ guard: 'clusterVersionUnresolved', target: 'resolvingClusterVersion' }, { target: 'ingressFirst' }],
    },
    resolvingClusterVersion: {
      invoke: {
        src: 'getApiServerVersion',
        input: ({ context }) => ({ ports: context.env.ports, request: apiTimeouts(context.env.timing) }),
        onDone: { target: 'clusterVersionResolved', actions: ['rememberClusterVersion', 'tellWatcherClusterVersionResolved'] },
        // uncaught in the lazy val: escapes refreshClusterRestUrl
        onError: { target: 'escaped', actions: { type: 'escape', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    clusterVersionResolved: {
      always: [{ guard: 'looksUpIngressFirst', target: 'ingressFirst' }, { target: 'ingress' }],
    },
    // v2.1.3 order. newFinkClusterClient's `retrieve(clusterId).getClusterClient` reads the `-rest`
    // Service twice (KubernetesClusterDescriptor 1.14.4 lines 142–154: retrieve builds a client
    // once to log it): both must succeed (KubernetesRetriever.scala 2.1.3 lines 91–100, 2.1.4 95–104)
    service: {
      invoke: {
        src: 'lookupRestService',
        input: lookupInput,
        onDone: [{ guard: ({ event }) => event.output === undefined, target: 'serviceDone' }, { target: 'serviceAgain' }],
        onError: 'none', // newFinkClusterClient: Try { retrieve } → None
      },
    },
    serviceAgain: {
      invoke: {
        src: 'lookupRestService',
        input: lookupInput,
        onDone: { target: 'serviceDone', actions: assign({ serviceUrl: ({ event }) => event.output }) },
        onError: 'none',
      },
    },
    serviceDone: {
      // v2.1.3: the cluster client exists; getIngressUrl then touches clusterVersion
      always: [
        { guard: not('hasServiceUrl'), target: 'none' },
        { guard: 'clusterVersionUnresolved', target: 'resolvingClusterVersion' },
        { target: 'ingress' },
      ],
    },
    ingress: {
      invoke: {
        src: 'lookupIngress',
        input: lookupInput,
        onDone: { target: 'found', actions: assign({ ingressUrl: ({ event }) => event.output }) },
        // getIngressUrl: Try { … }.recover { throw new RuntimeException } — escapes the poll
        onError: { target: 'escaped', actions: { type: 'escape', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    // v2.1.4 order
    ingressFirst: {
      invoke: {
        src: 'lookupIngress',
        input: lookupInput,
        onDone: { target: 'ingressFirstDone', actions: assign({ ingressUrl: ({ event }) => event.output }) },
        onError: 'serviceAfterIngress', // Try(ingresses…get).getOrElse(null)
      },
    },
    ingressFirstDone: {
      always: [{ guard: 'hasIngressUrl', target: 'found' }, { target: 'serviceAfterIngress' }],
    },
    serviceAfterIngress: {
      invoke: {
        src: 'lookupRestService',
        input: lookupInput,
        onDone: [{ guard: ({ event }) => event.output === undefined, target: 'serviceAfterIngressDone' }, { target: 'serviceAfterIngressAgain' }],
        onError: 'none',
      },
    },
    serviceAfterIngressAgain: {
      invoke: {
        src: 'lookupRestService',
        input: lookupInput,
        onDone: { target: 'serviceAfterIngressDone', actions: assign({ serviceUrl: ({ event }) => event.output }) },
        onError: 'none',
      },
    },
    serviceAfterIngressDone: {
      always: [{ guard: 'hasServiceUrl', target: 'found' }, { target: 'none' }],
    },
    found: { type: 'final', entry: 'useIngressOrServiceUrl' },
    none: { type: 'final', entry: assign({ result: ({ context }): RefreshResult => ({ kind: 'none', clusterVersionResolved: context.clusterVersionResolved }) }) },
    escaped: { type: 'final' },
  },
  output: ({ context }) => context.result,
});
