import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in parallel; `live` (files named *.live.test.ts) starts real
// processes (control plane, Toxiproxy) and measures real time, so its files run one at a time,
// after the unit tests. No unit test asserts how long something took: a unit test's timeout is a
// hang guard only, generous because the machine may be shared (a test that takes 10 s of CPU on
// a quiet 2-core machine took over a minute at a load of 25); speed is for the benchmarks.
const LIVE = ['test/**/*.live.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: LIVE,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'live',
          include: LIVE,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
