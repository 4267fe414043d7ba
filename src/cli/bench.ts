// `npm run bench [-- --json] [-- --page] [-- --only a,b] [-- --runs n] [-- --no-build]
// [-- --dist dir]`: every figure of src/bench/figures.ts, measured side by side in one run —
// in Node, in bench.html and through the app in headless Chromium — and printed as a table or
// one JSON object. --only picks figures by name prefix or group (node, models, page, runs);
// --page the page alone; --dist drives another build's app (its page and runs figures only).
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createBrowserSession } from '../bench/browser';
import { type Bench, FIGURES, selectFigures } from '../bench/figures';
import { createModelsBench } from '../bench/models';
import { createNodeBench } from '../bench/node';
import { createPageBench } from '../bench/page';
import { type Figure, formatJson, formatText, toFigure } from '../bench/report';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean' },
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean' },
    page: { type: 'boolean' },
    only: { type: 'string' },
    dist: { type: 'string' },
  },
});

async function main() {
  const runs = Math.max(1, Number(args.runs) || 3);
  const log = (m: string) => {
    if (!args.json) process.stderr.write(`${m}\n`);
  };
  let rows = selectFigures(FIGURES, { only: args.only, page: args.page });
  if (args.dist) {
    // Another build's bench.html speaks another protocol; its app is what we can compare.
    rows = rows.filter((r) => r.group === 'page' || r.group === 'runs');
  }
  const load = loadavg();
  const session = createBrowserSession({ dist: args.dist, noBuild: args['no-build'], log });
  const page = createPageBench({ session, runs, log });
  const models = createModelsBench({ session, log });
  const bench: Bench = { node: createNodeBench({ runs, log }), models, page };
  const figures: Figure[] = [];
  let adapter = 'not probed';
  try {
    for (const row of rows) {
      const inBrowser = row.where.startsWith('chromium') || row.where === 'dist';
      let readings: Awaited<ReturnType<typeof row.measure>>;
      try {
        readings = await row.measure(bench);
      } catch (e) {
        const why = String(e instanceof Error ? e.message : e).split('\n')[0];
        log(`  ${row.name} (${row.where}) failed: ${why}`);
        readings = [{ value: Number.NaN, backend: '?', note: `failed: ${why}` }];
      }
      const cores = inBrowser ? await page.cores().catch(() => cpus().length) : cpus().length;
      for (const r of readings) figures.push(toFigure(row, r, cores));
    }
    if (rows.some((r) => r.group === 'models')) {
      adapter = (await models.info().catch(() => null))?.adapter ?? 'unknown';
    }
  } finally {
    await session.close();
  }
  const report = {
    machine: { cores: cpus().length, node: process.version, webgpuAdapter: adapter, load },
    runs,
    app: session.dist,
    figures,
  };
  process.stdout.write(args.json ? formatJson(report) : formatText(report));
}

main().then(
  // tfjs and vite may keep handles open.
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  },
);
