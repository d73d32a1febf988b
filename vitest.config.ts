import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in parallel; `live` (files named *.live.test.ts) starts real
// processes (control plane, Toxiproxy) and measures real time, so its files run one at a time,
// after the unit tests.
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
          testTimeout: 30_000,
          hookTimeout: 60_000,
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
