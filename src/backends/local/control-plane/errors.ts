/** A failure to start or reach the local control plane; `component` names the process at fault, if one is. */
export class ControlPlaneError extends Error {
  override name = 'ControlPlaneError';
  readonly component: string | undefined;
  /** Exit code of that process, if it exited (not the CLI's exit code). */
  readonly processExitCode: number | undefined;

  constructor(message: string, details: { component?: string; processExitCode?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.component = details.component;
    this.processExitCode = details.processExitCode;
  }
}
