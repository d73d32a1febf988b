/** `statuschaos machine`: a model's machines as code to paste into Stately's visualiser. */
import { StateMachine, type AnyStateMachine } from 'xstate';
import { UserError, suggestion } from '../../errors/user-error.ts';
import { getModel, modelNames } from '../../models/registry.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';

export const MACHINE_HELP = `Usage: statuschaos machine <variant> [--json]

Prints the variant's machines (the tracker and every machine it invokes: watcher, probes,
listener/console, …) as one JavaScript module of createMachine(...) calls. Paste it into
https://stately.ai/viz (or the Stately editor's "Import from code") to explore the states.
Named guards, actions, delays and actors appear by name (their code is in src/models/);
inline ones by their kind (xstate.assign, xstate.sendTo, …). --json prints the same configs as
JSON. Variants: ${modelNames().join(', ')}.
`;

/** The machine and every machine-type actor it references, depth first, each once. */
function collectMachines(root: AnyStateMachine): AnyStateMachine[] {
  const found = new Map<string, AnyStateMachine>();
  const visit = (machine: AnyStateMachine) => {
    if (found.has(machine.id)) return;
    found.set(machine.id, machine);
    for (const actor of Object.values(machine.implementations.actors)) if (actor instanceof StateMachine) visit(actor);
  };
  visit(root);
  return [...found.values()];
}

/** Keys whose function values compute data (input, context, output): the visualiser needs none. */
const DATA_KEYS = new Set(['input', 'context', 'output']);

/**
 * The machine's own config (what was passed to createMachine), as plain data createMachine takes
 * again: a function becomes its xstate kind (`xstate.assign`, …) or `inline`, data functions go.
 */
export function visualiserConfig(config: unknown): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, inner) => {
      if (typeof inner !== 'function') return inner;
      if (DATA_KEYS.has(key)) return undefined;
      const kind = (inner as { type?: unknown }).type;
      return typeof kind === 'string' ? kind : key === 'guard' ? 'inline guard' : 'inline';
    }),
  );
}

export async function machineCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('machine', argv, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(MACHINE_HELP);
    return EXIT.ok;
  }
  const name = positionals[0];
  if (name === undefined) throw new UserError('machine needs a variant name', { hint: `one of ${modelNames().join(', ')}` });
  const model = getModel(name);
  if (model === undefined) throw new UserError(`unknown variant \`${name}\``, { hint: suggestion(name, modelNames()) });
  const machines = collectMachines(model.machine);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(machines.map((machine) => visualiserConfig(machine.config)), null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`// ${model.name}: ${model.description}`, "import { createMachine } from 'xstate';", ''];
  for (const machine of machines) {
    const identifier = machine.id.replace(/[^A-Za-z0-9_]/g, '_');
    lines.push(`export const ${identifier} = createMachine(${JSON.stringify(visualiserConfig(machine.config), null, 2)});`, '');
  }
  io.stdout.write(lines.join('\n'));
  return EXIT.ok;
}
