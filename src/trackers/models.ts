/**
 * The XState models as tracker plug-ins: in this process, on every backend, through the ports.
 * Their telemetry becomes the report's writes, alerts and events.
 */
import { allModels, getModel, MUTANT_PREFIX, startTracker, type TrackerModel } from '../models/registry.ts';
import type { TelemetryEvent } from '../models/telemetry.ts';
import type { TrackerContext, TrackerPlugin, TrackerReport } from './tracker.ts';

/** Every backend: a model only needs the ports. */
const EVERYWHERE = ['sim', 'local', 'kind', 'kubeconfig'] as const;

function reportTelemetry(report: TrackerReport): (event: TelemetryEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'console.write':
        return report.write({ appId: event.appId, state: event.state, tracking: event.tracking, cause: event.cause });
      case 'alert':
        return report.alert({ appId: event.appId, state: event.state });
      default: {
        const { type, ...fields } = event;
        return report.event(type, fields);
      }
    }
  };
}

/** A model as a plug-in, under its variant name (a mutant's is `proposed~<mutant>`, its model's `proposed`). */
export function modelPlugin(model: TrackerModel, name: string = model.name, byDefault = true): TrackerPlugin {
  return {
    name,
    system: model.system,
    role: model.role,
    description: model.description,
    kind: 'model',
    backends: EVERYWHERE,
    byDefault,
    callTimeouts: model.callTimeouts,
    async start(context: TrackerContext) {
      let running: ReturnType<typeof startTracker> | undefined;
      return {
        // the actor starts at scenario time 0, and its first poll with it
        begin: () => {
          running ??= startTracker(model, { env: { ports: context.ports(), timing: context.timing }, apps: context.apps, clock: context.clock, onTelemetry: reportTelemetry(context.report) });
        },
        send: (command) => running?.send(command),
        stop: async () => running?.stop(),
      };
    },
  };
}

/** The models, as plug-ins, in the order reports show them. */
export const MODEL_TRACKERS: readonly TrackerPlugin[] = allModels().map((model) => modelPlugin(model));

/** A mutant of our tracker (`proposed~<mutant>`, models/proposed/mutants.ts) as a plug-in: never run by default, never listed. */
export function mutantTracker(name: string): TrackerPlugin | undefined {
  const model = name.startsWith(MUTANT_PREFIX) ? getModel(name) : undefined;
  return model === undefined ? undefined : modelPlugin(model, name, false);
}
