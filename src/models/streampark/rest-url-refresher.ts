/**
 * FlinkK8sWatchController.refreshClusterRestUrl → KubernetesRetriever.retrieveFlinkRestUrl.
 *
 * v2.1.3: Flink's cluster-client retrieval reads the `<clusterId>-rest` Service (any failure is
 * caught: no URL); then IngressStrategy.getIngressUrl reads the Ingress, and a failure there is
 * rethrown as RuntimeException, which escapes the whole poll of this application.
 * v2.1.4: the Ingress is read first with errors swallowed, then the Service (failure: no URL).
 */
import { assign, setup } from 'xstate';
import { apiTimeouts, portActors } from '../port-actors.ts';
import type { TrackerEnvironment } from './types.ts';

export interface RefresherInput {
  env: TrackerEnvironment;
  namespace: string;
  clusterId: string;
}

export type RefreshResult = { kind: 'found'; url: string } | { kind: 'none' } | { kind: 'escaped'; error: string };

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
  actors: { lookupRestService: portActors.lookupRestService, lookupIngress: portActors.lookupIngress },
  guards: {
    /** v2.1.4 reads the Ingress before building the Flink cluster client. */
    looksUpIngressFirst: () => false,
    hasServiceUrl: ({ context }) => context.serviceUrl !== undefined,
    hasIngressUrl: ({ context }) => context.ingressUrl !== undefined,
  },
  actions: {
    useIngressOrServiceUrl: assign({
      result: ({ context }): RefreshResult => ({ kind: 'found', url: context.ingressUrl ?? context.serviceUrl ?? '' }),
    }),
  },
}).createMachine({
  id: 'restUrlRefresher',
  context: ({ input }) => ({ ...input, result: { kind: 'none' } }),
  initial: 'start',
  states: {
    start: {
      always: [{ guard: 'looksUpIngressFirst', target: 'ingressFirst' }, { target: 'service' }],
    },
    // v2.1.3 order
    service: {
      invoke: {
        src: 'lookupRestService',
        input: lookupInput,
        onDone: { target: 'serviceDone', actions: assign({ serviceUrl: ({ event }) => event.output }) },
        onError: 'none', // newFinkClusterClient: Try { retrieve } → None
      },
    },
    serviceDone: {
      always: [{ guard: 'hasServiceUrl', target: 'ingress' }, { target: 'none' }],
    },
    ingress: {
      invoke: {
        src: 'lookupIngress',
        input: lookupInput,
        onDone: { target: 'found', actions: assign({ ingressUrl: ({ event }) => event.output }) },
        // getIngressUrl: Try { … }.recover { throw new RuntimeException } — escapes the poll
        onError: { target: 'escaped', actions: assign({ result: ({ event }) => ({ kind: 'escaped', error: String(event.error) }) as RefreshResult }) },
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
        onDone: { target: 'serviceAfterIngressDone', actions: assign({ serviceUrl: ({ event }) => event.output }) },
        onError: 'none',
      },
    },
    serviceAfterIngressDone: {
      always: [{ guard: 'hasServiceUrl', target: 'found' }, { target: 'none' }],
    },
    found: { type: 'final', entry: 'useIngressOrServiceUrl' },
    none: { type: 'final', entry: assign({ result: { kind: 'none' } }) },
    escaped: { type: 'final' },
  },
  output: ({ context }) => context.result,
});
