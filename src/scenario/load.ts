/**
 * Reads a scenario file: YAML with line numbers, the zod schema, then the cross-field rules of
 * validate.ts. Every problem in a file is reported at once, each as `file:line:col: message`.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LineCounter, isCollection, isPair, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import { describeFsError } from '../errors/fs-messages.ts';
import { LIMITS, formatBytes, formatSizeOver } from './limits.ts';
import { z } from 'zod';
import { PROBLEMS_SHOWN, UserError, UserErrors, suggestion } from '../errors/user-error.ts';
import { describePath, issueMessage } from './zod-messages.ts';
import { scenarioSchema, type RawScenario } from './schema.ts';
import { SourceMap } from './source-map.ts';
import { normalizeScenario } from './validate.ts';
import type { Scenario } from './types.ts';

/** The keys an object accepts at a path of the schema (for "did you mean" on unknown fields). */
function allowedKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = root;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject && typeof segment === 'string' && segment in schema.shape) schema = schema.shape[segment] as z.ZodType;
    else return [];
  }
  const object = unwrap(schema);
  if (object instanceof z.ZodRecord && object.keyType instanceof z.ZodEnum) return object.keyType.options.map(String); // `{ converges: 30s }`
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/** The object schema inside optionals and unions (a union's object option), else the schema itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodUnion) {
      const object = (current.options as readonly z.ZodType[]).find((option) => option instanceof z.ZodObject || option instanceof z.ZodRecord);
      if (object === undefined) return current;
      current = object;
    } else return current;
  }
}

/** The schema's problems, located in the file: the first PROBLEMS_SHOWN of them; the rest counted (`schema`: the file's own, for "did you mean"). */
export function schemaErrors(error: z.ZodError, source: SourceMap, schema: z.ZodType = scenarioSchema): UserErrors {
  const errors: UserError[] = [];
  let notShown = 0;
  const add = (make: () => UserError) => {
    if (errors.length < PROBLEMS_SHOWN) errors.push(make());
    else notShown += 1;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path);
      const where = issue.path.length === 1 && issue.path[0] === 'expect' ? 'variant' : issue.path.at(-2) === 'oracles' ? 'oracle' : 'field';
      for (const key of issue.keys) add(() => new UserError(`unknown ${where} \`${key}\` in ${describePath(issue.path)}`, { location: source.locate(issue.path, key), hint: suggestion(key, allowed) }));
      continue;
    }
    add(() => {
      const { message, hint } = issueMessage(issue);
      return new UserError(message, { location: source.locate(issue.path), hint });
    });
  }
  return new UserErrors(errors, notShown);
}

/**
 * One pass over the document (an explicit stack: no recursion to overflow): the deepest nesting
 * of collections, the first key that is itself a list or mapping (`? [a, b]`: JavaScript objects
 * cannot have such keys), and the first key given twice in a mapping. The yaml package's own
 * duplicate check compares every key with every other (22 s for a 256 KiB file of 27 000 keys);
 * this one is linear.
 */
function scanCollections(root: unknown): { depth: number; collectionKey: YamlNode | undefined; duplicateKey: YamlNode | undefined } {
  let deepest = 0;
  let collectionKey: YamlNode | undefined;
  let duplicateKey: YamlNode | undefined;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > LIMITS.yamlDepth) break;
    const keys = new Set<unknown>();
    for (const item of node.items) {
      if (isPair(item)) {
        if (isCollection(item.key)) collectionKey ??= item.key;
        // scalars equal as the yaml package compares them: same value, same type (1 and "1" differ)
        const key = isScalar(item.key) ? item.key.value : item.key;
        if (keys.has(key) && item.key !== null) duplicateKey ??= item.key as YamlNode;
        keys.add(key);
      }
      stack.push([isPair(item) ? item.value : item, depth + 1]);
    }
  }
  return { depth: deepest, collectionKey, duplicateKey };
}

/** What a kind of file is, for messages: its name and what its top level holds. */
export interface FileKind {
  kind: string;
  topLevel: string;
}

const SCENARIO: FileKind = { kind: 'scenario', topLevel: '`name`, `duration` and `timeline`' };

/** Parse scenario text; `file` is used in messages. Throws UserErrors listing every problem. */
export function parseScenario(text: string, file: string): Scenario {
  const { raw, source } = parseYamlMapping(text, file, SCENARIO);
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw schemaErrors(parsed.error, source);
  return normalizeScenario(parsed.data as RawScenario, source);
}

/**
 * Plain YAML text as a mapping, with where each value is: refuses syntax errors, tags, nesting
 * beyond LIMITS.yamlDepth and alias bombs, each at its line. Throws UserErrors.
 */
export function parseYamlMapping(text: string, file: string, what: FileKind): { raw: Record<string, unknown>; source: SourceMap } {
  const lines = new LineCounter();
  // logLevel error: the yaml package's warnings (collection keys) are ours to report, not Node's to
  // print; uniqueKeys false: scanCollections finds a key given twice in linear time
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const source = new SourceMap(file, document, lines);
  if (document.errors.length > 0) {
    throw new UserErrors(
      document.errors.map((yamlError) => {
        const position = yamlError.linePos?.[0] ?? lines.linePos(yamlError.pos[0]);
        const tooDeep = /call stack/i.test(yamlError.message);
        return new UserError(tooDeep ? `YAML: the file nests too deeply to read (the limit is ${LIMITS.yamlDepth} levels)` : `YAML: ${yamlError.message.split('\n')[0]}`, { location: { file, line: position?.line, column: position?.col }, hint: tooDeep ? `a ${what.kind} needs about 5 levels (docs/limits.md)` : 'check indentation and quoting around this line' });
      }),
    );
  }
  // tags (!!js/function, !custom) are not resolved: refused rather than silently read as text
  const tags = document.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (tags.length > 0) {
    throw new UserErrors(
      tags.map((warning) => {
        const position = warning.linePos?.[0] ?? lines.linePos(warning.pos[0]);
        return new UserError(`YAML: ${warning.message.split(' at line')[0]}; ${what.kind} files are plain YAML without tags`, { location: { file, line: position?.line, column: position?.col }, hint: 'remove the tag (the `!…` before the value)' });
      }),
    );
  }
  const { depth, collectionKey, duplicateKey } = scanCollections(document.contents);
  if (depth > LIMITS.yamlDepth) {
    throw new UserErrors([new UserError(`the file nests collections more than ${LIMITS.yamlDepth} levels deep`, { location: { file, line: 1 }, hint: `a ${what.kind} needs about 5 levels (docs/limits.md)` })]);
  }
  if (duplicateKey !== undefined) {
    const position = lines.linePos(duplicateKey.range?.[0] ?? 0);
    throw new UserErrors([new UserError('YAML: Map keys must be unique: this key is given twice in its mapping', { location: { file, line: position.line, column: position.col }, hint: 'remove one of the two' })]);
  }
  if (collectionKey !== undefined) {
    const position = lines.linePos(collectionKey.range?.[0] ?? 0);
    throw new UserErrors([new UserError(`YAML: a key that is a list or mapping (\`? [a, b]: …\`); ${what.kind} keys are names`, { location: { file, line: position.line, column: position.col }, hint: 'write the key as a plain name, e.g. `name:`' })]);
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (error) {
    // the yaml package's guard against alias bombs ("billion laughs") throws a ReferenceError
    if (!(error instanceof ReferenceError)) throw error;
    throw new UserErrors([new UserError(`YAML: its aliases (*name) expand to too much (more than ${LIMITS.yamlAliases} copies)`, { location: { file, line: 1 }, hint: `use fewer aliases; a ${what.kind} file is not meant to multiply itself` })]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserErrors([new UserError(`${/^[aeiou]/.test(what.kind) ? 'an' : 'a'} ${what.kind} file must be a YAML mapping with ${what.topLevel}`, { location: { file, line: 1 } })]);
  }
  return { raw: raw as Record<string, unknown>, source };
}

/**
 * Read a scenario file: a regular file (a FIFO or device would block or never end) of at most
 * LIMITS.scenarioFileBytes, read through one descriptor so what is checked is what is read.
 */
export async function readScenarioText(file: string): Promise<string> {
  return readInputText(file, { kind: 'scenario', maxBytes: LIMITS.scenarioFileBytes, typical: 'a scenario is a few KB', give: 'a .yaml file' });
}

/** An input file's text (scenario, incident, kubectl JSON): a regular file of at most `maxBytes`, read through one descriptor. */
export async function readInputText(file: string, what: { kind: string; maxBytes: number; typical: string; give: string }): Promise<string> {
  const fail = (message: string, hint = 'check the path') => new UserErrors([new UserError(message, { location: { file }, hint })]);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail(`cannot read the ${what.kind} file: ${describeFsError(error)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw fail(`not a regular file (${info.isFIFO() ? 'a FIFO' : info.isDirectory() ? 'a folder' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : 'not a file'}); ${what.kind} files are read from files`, `give ${what.give}`);
    const tooBig = (size: string) => fail(`the file is larger than ${formatBytes(what.maxBytes)} (${size}); the limit keeps a run quick and small`, `${what.typical}; see docs/limits.md`);
    if (info.size > what.maxBytes) throw tooBig(formatSizeOver(info.size, what.maxBytes));
    const buffer = Buffer.alloc(what.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > what.maxBytes) throw tooBig('it grew while being read');
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof UserErrors) throw error;
    throw fail(`cannot read the ${what.kind} file: ${describeFsError(error)}`);
  } finally {
    await handle.close();
  }
}

/** Read and parse a scenario file. */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  return parseScenario(await readScenarioText(file), file);
}
