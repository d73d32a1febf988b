/** Commands every tracker model accepts from the world (the runner sends them). */
export type TrackerCommand =
  /** the console process restarts: caches lost, back after `downtimeMs` */
  | { type: 'console.restart'; downtimeMs: number }
  /** a user cancels the job from the console */
  | { type: 'console.cancel'; appId: string };
