/**
 * Where a value of a scenario file is: line and column of a path in the parsed YAML document,
 * so every problem found by the schema or the cross-field rules points into the file.
 */
import { LineCounter, isMap, isPair, isScalar, type Document, type Node as YamlNode } from 'yaml';

/** Finds the line and column of a path in the YAML document (the nearest existing node). */
export class SourceMap {
  private readonly document: Document;
  private readonly lines: LineCounter;
  readonly file: string;

  constructor(file: string, document: Document, lines: LineCounter) {
    this.file = file;
    this.document = document;
    this.lines = lines;
  }

  /**
   * Location of character `column` (1-based) inside the string value at `path`, when that value
   * sits on one line; else the value's own location.
   */
  locateInside(path: readonly PropertyKey[], column: number): { file: string; line?: number; column?: number } {
    const node = this.document.getIn(path as (string | number)[], true) as { range?: [number, number, number]; type?: string; source?: string } | undefined;
    const start = this.locate(path);
    if (node?.range === undefined || start.column === undefined) return start;
    const end = this.lines.linePos(node.range[1]);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    if (end.line !== start.line || (node.type !== 'PLAIN' && !quoted)) return start;
    return { ...start, column: start.column + (quoted ? 1 : 0) + column - 1 };
  }

  /** Location of the value at `path`; with `key`, of the key itself (for unknown fields). */
  locate(path: readonly PropertyKey[], key?: string): { file: string; line?: number; column?: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth) as (string | number)[], true) as YamlNode | undefined;
      if (node === undefined || node === null) continue;
      let offset = (node as { range?: [number, number, number] }).range?.[0];
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
        const keyNode = pair?.key as { range?: [number, number, number] } | undefined;
        offset = keyNode?.range?.[0] ?? offset;
      }
      if (offset === undefined) continue;
      const { line, col } = this.lines.linePos(offset);
      return { file: this.file, line, column: col };
    }
    return { file: this.file };
  }
}
