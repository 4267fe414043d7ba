/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation lets later tfjs wasm builds use threads; it also keeps the app honest
// about loading nothing from other origins.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: {
    format: 'es',
    // The minifier's compression rewrites tfjs-wasm's threaded worker source (`typeof x ==
    // "undefined"` → `x === void 0`), and its thread workers then fail with "e is not defined".
    // Mangling and whitespace removal are safe; compression stays off in worker bundles.
    rolldownOptions: {
      output: { minify: { compress: false, mangle: true, codegen: { removeWhitespace: true } } },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // bench.html drives `npm run bench` in the browser; the app never links to it. embed.html is
    // one figure for other pages' <iframe>s; docs/embed.html builds their snippet.
    rolldownOptions: {
      input: {
        main: 'index.html',
        embed: 'embed.html',
        'docs-embed': 'docs/embed.html',
        bench: 'bench.html',
      },
    },
  },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // No test asserts time, but statistical tests of a second or two alone take many
          // seconds on a shared, loaded machine: the limit only catches a hang.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
