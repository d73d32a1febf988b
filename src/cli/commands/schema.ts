/** `statuschaos schema`: the JSON Schema of scenario files, for editors. */
import { scenarioJsonSchema } from '../../scenario/schema.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';

export const SCHEMA_HELP = `Usage: statuschaos schema

Prints the JSON Schema (draft 2020-12) of scenario files, generated from the validator. Point
your editor at it, e.g. with the YAML language server: # yaml-language-server: $schema=<file>
`;

export async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('schema', argv, {});
  if (values.help) {
    io.stdout.write(SCHEMA_HELP);
    return EXIT.ok;
  }
  io.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
