// `npm run bench [-- --json]`: measures, side by side in one run, the 1-D Gaussian loop in Node
// and in the built app in headless Chromium (Debian's), and the page's load figures. Timings are
// reported, never asserted: these machines are shared and noisy.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import { simulateGaussian1d } from '../core/loop';
import { DEFAULT_RECIPE, type Recipe } from '../core/recipe';
import { launchChromium } from './chromium';

interface Figure {
  name: string;
  value: number;
  unit: string;
  where: string;
  backend: string;
  cores: number;
  note?: string;
}

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean' },
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean' },
  },
});
const RUNS = Math.max(1, Number(args.runs) || 3);
const log = (m: string) => {
  if (!args.json) process.stderr.write(`${m}\n`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const recipe: Recipe = { ...DEFAULT_RECIPE };
const chainGenerations = recipe.replicates * (recipe.generations + 1);

function benchNode(): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    for (const _ of simulateGaussian1d(recipe)) {
      // drain the generator
    }
    if (i > 0) times.push(performance.now() - t0); // the first run warms the JIT
  }
  return times;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function benchBrowser() {
  if (!args['no-build']) {
    log('building the app…');
    await build({ logLevel: 'error' });
  }
  const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  const loads: {
    firstChart: number;
    runMs: number;
    computeMs: number;
    scripts: string[];
    cores: number;
    adapter: string;
  }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // a cold cache each time
      const page = await context.newPage();
      await page.goto(base);
      await page.waitForFunction(() => performance.getEntriesByName('run-done').length > 0, null, {
        timeout: 60_000,
      });
      loads.push(
        await page.evaluate(async () => {
          const firstChart = performance.getEntriesByName('first-chart')[0].startTime;
          const done = performance.getEntriesByName('run-done')[0] as PerformanceMark;
          const scripts = performance
            .getEntriesByType('resource')
            .filter(
              (e) =>
                e.name.endsWith('.js') &&
                (e as PerformanceResourceTiming).responseEnd <= firstChart,
            )
            .map((e) => new URL(e.name).pathname);
          const gpu = (
            navigator as Navigator & {
              gpu?: {
                requestAdapter(): Promise<{
                  info?: { description?: string; vendor?: string };
                } | null>;
              };
            }
          ).gpu;
          const adapter = gpu ? await gpu.requestAdapter() : null;
          return {
            firstChart,
            runMs: (done.detail as { elapsedMs: number }).elapsedMs,
            computeMs: (done.detail as { computeMs: number }).computeMs,
            scripts,
            cores: navigator.hardwareConcurrency,
            adapter: adapter
              ? `${adapter.info?.vendor ?? ''} ${adapter.info?.description ?? ''}`.trim() ||
                'webgpu adapter'
              : 'none',
          };
        }),
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const gz = (file: string) => gzipSync(readFileSync(file)).length;
  const firstScripts = new Set(loads[0].scripts.map((p) => p.split('/').pop()));
  const jsFiles = filesUnder('dist').filter((f) => f.endsWith('.js'));
  return {
    firstChart: loads.map((l) => l.firstChart),
    runMs: loads.map((l) => l.runMs),
    computeMs: loads.map((l) => l.computeMs),
    cores: loads[0].cores,
    adapter: loads[0].adapter,
    jsBeforeFirstChart: jsFiles
      .filter((f) => firstScripts.has(f.split('/').pop()))
      .reduce((a, f) => a + gz(f), 0),
    jsTotal: jsFiles.reduce((a, f) => a + gz(f), 0),
  };
}

async function main() {
  const cores = cpus().length;
  log(
    `Node: the default Gaussian scenario (M=${recipe.samplesPerGeneration}, ${recipe.generations} generations, ${recipe.replicates} replicates), ${RUNS} runs…`,
  );
  const node = benchNode();
  log('Chromium: the built app, cold loads…');
  const web = await benchBrowser();
  const nodeMs = median(node);
  const webMs = median(web.runMs);
  const figures: Figure[] = [
    {
      name: 'gaussian1d.defaultScenarioMs',
      value: round(nodeMs),
      unit: 'ms',
      where: 'node',
      backend: 'core (TS)',
      cores,
    },
    {
      name: 'gaussian1d.defaultScenarioMs',
      value: round(webMs),
      unit: 'ms',
      where: 'chromium worker',
      backend: 'core (TS)',
      cores: web.cores,
      note: 'target < 1000',
    },
    {
      name: 'gaussian1d.defaultScenarioComputeMs',
      value: round(median(web.computeMs)),
      unit: 'ms',
      where: 'chromium worker',
      backend: 'core (TS)',
      cores: web.cores,
      note: 'loop only, no posting',
    },
    {
      name: 'gaussian1d.replicateGenerationsPerSecond',
      value: Math.round(chainGenerations / (nodeMs / 1000)),
      unit: '/s',
      where: 'node',
      backend: 'core (TS)',
      cores,
    },
    {
      name: 'gaussian1d.replicateGenerationsPerSecond',
      value: Math.round(chainGenerations / (webMs / 1000)),
      unit: '/s',
      where: 'chromium worker',
      backend: 'core (TS)',
      cores: web.cores,
    },
    {
      name: 'gaussian1d.browserOverNode',
      value: round(webMs / nodeMs, 2),
      unit: '×',
      where: 'ratio',
      backend: 'core (TS)',
      cores,
    },
    {
      name: 'page.timeToFirstChartMs',
      value: round(median(web.firstChart)),
      unit: 'ms',
      where: 'chromium',
      backend: '-',
      cores: web.cores,
      note: 'target ≤ 1000',
    },
    {
      name: 'page.jsBeforeFirstChartGzipKB',
      value: round(web.jsBeforeFirstChart / 1024),
      unit: 'KB',
      where: 'chromium',
      backend: '-',
      cores: web.cores,
      note: 'target ≤ 150',
    },
    {
      name: 'page.jsTotalGzipKB',
      value: round(web.jsTotal / 1024),
      unit: 'KB',
      where: 'dist',
      backend: '-',
      cores,
    },
  ];
  const result = {
    machine: { cores, node: process.version, webgpuAdapter: web.adapter },
    runs: RUNS,
    samples: {
      nodeMs: node.map((v) => round(v)),
      browserMs: web.runMs.map((v) => round(v)),
      firstChartMs: web.firstChart.map((v) => round(v)),
    },
    figures,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.where,
    f.backend,
    String(f.cores),
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'where', 'backend', 'cores', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(
    `${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
  process.stdout.write(
    `\nWebGPU adapter: ${web.adapter}; medians of ${RUNS} runs (samples in --json).\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
