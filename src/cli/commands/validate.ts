/** `statuschaos validate`: check scenario files without running them. */
import { checkRunIdsUnique } from '../../record/store.ts';
import { loadScenarios } from '../../scenario/files.ts';
import { formatDuration } from '../../scenario/duration.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';
import { enterPhase } from '../phase.ts';

export const VALIDATE_HELP = `Usage: statuschaos validate <scenario files or folders...>

Checks scenario files (YAML syntax, fields, durations, overlapping windows, trace patterns) and
prints every problem as file:line:col. Exit 0 when all are valid, 2 otherwise.
`;

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', argv, {});
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return EXIT.ok;
  }
  await enterPhase(io, 'validating');
  const scenarios = await loadScenarios(positionals, io.signal);
  checkRunIdsUnique(scenarios); // `run` would refuse them together
  for (const scenario of scenarios) {
    const variants = Object.keys(scenario.expect).length;
    io.stdout.write(`ok  ${scenario.file}  ${scenario.name}: ${formatDuration(scenario.durationMs)}, ${scenario.faults.length} fault(s), ${scenario.actions.length} action(s), ${variants} expectation(s)\n`);
  }
  return EXIT.ok;
}
