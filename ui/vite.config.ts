import { defineConfig } from "vitest/config";

// No framework plugin: esbuild compiles TSX with React's automatic runtime.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  clearScreen: false,
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/testSetup.ts"],
    testTimeout: 30_000,
  },
});
