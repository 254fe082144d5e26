import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { testStackEnvironment } from './stack/test-stack.js';

// graphql ships CJS (main) and ESM (module). Node loads the CJS one for Apollo's packages, so our
// code under test must get the same copy, or graphql's instanceof checks fail ("another realm").
const graphqlAsNodeLoadsIt = { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: [graphqlAsNodeLoadsIt] },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{lib,stack,subgraphs,gateway,migration,bench}/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/*.isolated.test.ts', 'node_modules/**', '.stack/**', '.stack-test/**'],
        },
      },
      {
        resolve: { alias: [graphqlAsNodeLoadsIt] },
        test: {
          name: 'integration',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          env: testStackEnvironment,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Alone, after everything else: these tests count every row of every store.
        resolve: { alias: [graphqlAsNodeLoadsIt] },
        test: {
          name: 'isolated',
          include: ['test/**/*.isolated.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          env: testStackEnvironment,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
