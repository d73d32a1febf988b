/** Every problem found in one scenario file, each located at its file:line (validation reports them all at once). */
import { PROBLEMS_SHOWN, UserError, UserErrors } from '../errors/user-error.ts';
import type { SourceMap } from './source-map.ts';

export class Problems {
  readonly errors: UserError[] = [];
  /** problems beyond the first PROBLEMS_SHOWN: counted, not located */
  notShown = 0;
  private readonly source: SourceMap;
  constructor(source: SourceMap) {
    this.source = source;
  }
  add(message: string, path: readonly PropertyKey[], hint?: string, key?: string): void {
    this.push(() => new UserError(message, { location: this.source.locate(path, key), hint }));
  }
  /** Add a problem made only when it will be shown (locating one is not free). */
  push(make: () => UserError): void {
    if (this.errors.length < PROBLEMS_SHOWN) this.errors.push(make());
    else this.notShown += 1;
  }
  get found(): boolean {
    return this.errors.length > 0;
  }
  /** Throw every problem found, if any. */
  throwIfAny(): void {
    if (this.found) throw new UserErrors(this.errors, this.notShown);
  }
  locate(path: readonly PropertyKey[]) {
    return this.source.locate(path);
  }
  locateInside(path: readonly PropertyKey[], column: number) {
    return this.source.locateInside(path, column);
  }
}
