import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/e2e/**/*.e2e.test.ts"], testTimeout: 20 * 60 * 1000, hookTimeout: 40 * 60 * 1000, fileParallelism: false },
});
