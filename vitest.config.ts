import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run against the TypeScript sources; `tsgrad` resolves to the runtime source so
// that tests and the code they compile share one runtime instance.
export default defineConfig({
  resolve: {
    alias: [{ find: /^tsgrad$/, replacement: fileURLToPath(new URL('./runtime/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
