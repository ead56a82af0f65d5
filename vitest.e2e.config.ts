import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // what a person sees settles when the request behind it has come back; the default second is too short for a
    // browser, the server and the test sharing two busy cores (CI), and the steps of a flow depend on each other
    expect: { poll: { timeout: 10_000 } },
  },
});
