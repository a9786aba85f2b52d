import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    // forks, not threads: native addons (better-sqlite3, serialport bindings) are not thread-safe to load.
    pool: "forks",
    include: ["test/**/*.test.ts", "drivers/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
