import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

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
          include: ['{lib,stack,subgraphs,gateway,migration}/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', 'node_modules/**', '.stack/**'],
        },
      },
      {
        resolve: { alias: [graphqlAsNodeLoadsIt] },
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
