/** Every problem found in one scenario file, each located at its file:line (validation reports them all at once). */
import { UserError } from '../errors/user-error.ts';
import type { SourceMap } from './source-map.ts';

export class Problems {
  readonly errors: UserError[] = [];
  private readonly source: SourceMap;
  constructor(source: SourceMap) {
    this.source = source;
  }
  add(message: string, path: readonly PropertyKey[], hint?: string, key?: string): void {
    this.errors.push(new UserError(message, { location: this.source.locate(path, key), hint }));
  }
  locate(path: readonly PropertyKey[]) {
    return this.source.locate(path);
  }
  locateInside(path: readonly PropertyKey[], column: number) {
    return this.source.locateInside(path, column);
  }
}
