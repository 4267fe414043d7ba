/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import type { OutputAsset, OutputChunk } from 'rolldown';
import { createServer, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation lets later tfjs wasm builds use threads; it also keeps the app honest
// about loading nothing from other origins.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The pages' Content-Security-Policy: nothing from another host. tfjs compiles its WebAssembly
 * ('wasm-unsafe-eval'); workers are the app's own files (blob: for tfjs-wasm's thread workers);
 * styles are set by React and D3 (and the figure export inlines them: 'unsafe-inline' for
 * styles only). A meta tag, so plain static hosting needs no header; frame-ancestors cannot be
 * set by a meta tag, and any page may embed embed.html.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** The CSP source that allows one inline script, by its SHA-256. */
const scriptHash = (code: string) =>
  `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

/**
 * Writes the policy into every built page but the bench's (the dev server's HMR runs inline code).
 * A page's own inline scripts (the story's route script) are allowed by their hashes, and no
 * other inline script is.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'collapse-lab:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.filename.endsWith('bench.html')) return html;
        const inline = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1]);
        const policy = CONTENT_SECURITY_POLICY.replace(
          "script-src 'self' 'wasm-unsafe-eval'",
          ["script-src 'self' 'wasm-unsafe-eval'", ...inline.map(scriptHash)].join(' '),
        );
        // Right after the charset (which must come first), before any script.
        return html.replace(
          /(<meta charset="UTF-8" \/>)/,
          `$1\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`,
        );
      },
    },
  };
}

/** The files of the chunk built from `entry` and of every chunk it imports, statically. */
function pageChunks(bundle: Record<string, OutputAsset | OutputChunk>, entry: string): string[] {
  const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
  const root = chunks.find((c) => c.facadeModuleId?.endsWith(entry));
  const out = new Set<string>();
  const visit = (c: OutputChunk | undefined) => {
    if (!c || out.has(c.fileName)) return;
    out.add(c.fileName);
    for (const f of c.imports) visit(chunks.find((x) => x.fileName === f));
  };
  visit(root);
  return [...out];
}

/**
 * Prerenders the story into the built index.html (ui/story/prerender.tsx, loaded in Node through
 * a Vite server of its own): the page, with its opening chart at generation 0, shows before any
 * script runs, and the head gets the script that hides it on a link into another page.
 */
function prerenderStory(): Plugin {
  return {
    name: 'collapse-lab:prerender',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        if (ctx.path !== '/index.html') return html;
        const server = await createServer({
          configFile: false,
          // React's production build, as the build's own (a development JSX runtime beside the
          // production renderer fails).
          mode: 'production',
          plugins: [react()],
          appType: 'custom',
          logLevel: 'error',
          server: { middlewareMode: true, hmr: false, ws: false },
          optimizeDeps: { noDiscovery: true, include: [] },
        });
        try {
          const module = await server.ssrLoadModule('/src/ui/story/prerender.tsx');
          const story: string = await module.prerenderStory();
          // The entry loads the page's code once the story is painted (src/main.tsx): fetch it
          // meanwhile, with every chunk it imports.
          const preloads = (ctx.bundle ? pageChunks(ctx.bundle, 'src/app.tsx') : []).filter(
            (f) => !html.includes(f),
          );
          return html
            .replace('</title>', `</title>\n    <script>${module.ROUTE_SCRIPT}</script>`)
            .replace(
              '</head>',
              `${preloads.map((f) => `<link rel="modulepreload" crossorigin href="./${f}">\n    `).join('')}</head>`,
            )
            .replace(
              '<div id="root"></div>',
              `<div id="root" data-prerendered-page>${story}</div>`,
            );
        } finally {
          await server.close();
        }
      },
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [
    react(),
    // In this order: the policy hashes the inline script the prerender adds.
    prerenderStory(),
    contentSecurityPolicy(),
    // Offline after the first visit: a service worker precaches the whole built app — pages,
    // scripts, styles, workers, tfjs's wasm binaries and the shipped data (public/data) — so it
    // reloads and runs with the network cut. The pages register it themselves (src/offline.ts);
    // the bench page is left out (its cold loads must stay cold).
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'Collapse Lab',
        short_name: 'Collapse Lab',
        description: 'Model collapse, live in your browser.',
        theme_color: '#c2410c',
        background_color: '#fbfaf7',
        display: 'standalone',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,svg,png,wasm,bin,json,webmanifest}'],
        globIgnores: ['bench.html', '**/bench*', '**/*.map'],
        // tfjs's bundles and the digits are a few MB each; all of it must work offline.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        // A link opens with its hash: the page itself is precached, no navigation fallback needed.
        navigateFallback: null,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
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
          // vitest leaves a core free by default (one worker on a 2-core CI machine); the unit
          // tests are plain CPU work with nothing else to wait for, so use both.
          maxWorkers: 2,
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
