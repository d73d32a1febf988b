/** `statuschaos schema [scenario|incident]`: the JSON Schema of scenario (or incident) files, for editors. */
import { UserError, suggestion } from '../../errors/user-error.ts';
import { incidentJsonSchema } from '../../reproduce/incident-schema.ts';
import { scenarioJsonSchema } from '../../scenario/schema.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';

export const SCHEMA_HELP = `Usage: statuschaos schema [scenario|incident]

Prints the JSON Schema (draft 2020-12) of scenario files (default) or of incident files
(\`statuschaos reproduce\`, docs/reproduce.md), generated from the validator. Point your editor at
it, e.g. with the YAML language server: # yaml-language-server: $schema=<file>
`;

const SCHEMAS: Record<string, () => object> = { scenario: scenarioJsonSchema, incident: incidentJsonSchema };

export async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('schema', argv, {});
  if (values.help) {
    io.stdout.write(SCHEMA_HELP);
    return EXIT.ok;
  }
  const [kind = 'scenario', ...rest] = positionals;
  if (rest.length > 0) throw new UserError(`schema takes one kind of file (got ${positionals.join(', ')})`, { hint: 'statuschaos schema incident' });
  const schema = SCHEMAS[kind];
  if (schema === undefined) throw new UserError(`no schema for \`${kind}\``, { hint: suggestion(kind, Object.keys(SCHEMAS)) });
  io.stdout.write(`${JSON.stringify(schema(), null, 2)}\n`);
  return EXIT.ok;
}
