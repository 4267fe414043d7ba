// The embed protocol (docs/architecture.md) across origins, on static hosting: a parent page on one
// origin drives embed.html served from another (by a server that sends no special headers). It
// receives ready, generation (the CLI's numbers), done, resize and error; a message of any other
// shape changes nothing; the frame starts when scrolled into view and pauses playback off-screen.
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { runExperiment } from '../../src/cli/runExperiment';
import { parseRecipe } from '../../src/core/recipe';
import { type StaticServer, serveStatic } from './staticServer';

let browser: Browser;
let app: StaticServer;
let host: StaticServer;

interface Received {
  frame: string;
  data: { type: string; [k: string]: unknown };
}

const parentPage = (frameOrigin: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>An article</title></head>
<body style="margin:0">
<main>
<h1>An article embedding a figure</h1>
<iframe id="main" title="figure" style="width:700px;height:300px;border:0"
  src="${frameOrigin}/embed.html#gens=10&reps=20&M=50&seed=2&figure=std&controls=synth,play,step,reset"></iframe>
<div style="height:3000px">spacer</div>
<iframe id="lazy" title="lazy figure" style="width:700px;height:300px;border:0"
  src="${frameOrigin}/embed.html#gens=4&reps=5&M=50&figure=tail&theme=dark"></iframe>
</main>
<script>
  window.received = [];
  addEventListener('message', (e) => {
    const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
    window.received.push({ frame: frame ? frame.id : '?', data: e.data });
    if (e.data && e.data.type === 'collapse-lab:resize' && frame) frame.style.height = e.data.height + 'px';
  });
  window.send = (id, message) => document.getElementById(id).contentWindow.postMessage(message, '*');
</script>
</body></html>`;

beforeAll(async () => {
  browser = await launchChromium();
  app = await serveStatic('dist');
  host = await serveStatic('dist', { '/article.html': '' });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await host?.close();
});

async function open(): Promise<{ page: Page; problems: string[] }> {
  // The article's origin serves the parent page; the app's serves the frame.
  await host.close();
  host = await serveStatic('dist', { '/article.html': parentPage(app.origin) });
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${host.origin}/article.html`);
  return { page, problems };
}

const received = (page: Page, frame = 'main'): Promise<Received[]> =>
  page.evaluate(
    (id) => (window as unknown as { received: Received[] }).received.filter((r) => r.frame === id),
    frame,
  );
const ofType = async (page: Page, type: string, frame = 'main') =>
  (await received(page, frame))
    .filter((r) => r.data.type === `collapse-lab:${type}`)
    .map((r) => r.data);
const send = (page: Page, message: unknown, frame = 'main') =>
  page.evaluate(
    ([id, m]) =>
      (window as unknown as { send(id: string, m: unknown): void }).send(id as string, m),
    [frame, message] as const,
  );

async function frameOf(page: Page, id: string): Promise<Frame> {
  const f = await (await page.locator(`#${id}`).elementHandle())?.contentFrame();
  if (!f) throw new Error(`no frame ${id}`);
  return f;
}
const shownGeneration = async (f: Frame) => Number(await f.getByTestId('generation').textContent());

describe('embed.html on another origin', () => {
  it('speaks the protocol: ready, generation, done and resize, with the CLI’s numbers', async () => {
    const { page, problems } = await open();
    expect(new URL(app.origin).port).not.toBe(new URL(host.origin).port);
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 30_000 }).toBe(1);
    const ready = await ofType(page, 'ready');
    expect(ready[0].recipe).toMatchObject({
      model: 'gaussian1d',
      generations: 10,
      replicates: 20,
      seed: 2,
    });
    const generations = await ofType(page, 'generation');
    expect(generations.map((g) => g.generation)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [done] = await ofType(page, 'done');
    expect((done.generations as unknown[]).length).toBe(11);

    const parsed = parseRecipe({
      generations: 10,
      replicates: 20,
      samplesPerGeneration: 50,
      seed: 2,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const cli = await runExperiment(parsed.recipe);
    for (const g of cli.generations) {
      const sent = generations[g.generation].stats as Record<string, Record<string, number>>;
      for (const [metric, s] of Object.entries(g.stats))
        for (const k of ['mean', 'median', 'q05', 'q95'] as const)
          expect(Math.abs(sent[metric][k] - s[k])).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(s[k])),
          );
    }

    // resize: the frame's content height, and the parent sized it so.
    const resizes = await ofType(page, 'resize');
    expect(resizes.length).toBeGreaterThan(0);
    const last = resizes[resizes.length - 1].height as number;
    const frame = await frameOf(page, 'main');
    const body = await frame.evaluate(() =>
      Math.ceil(document.body.getBoundingClientRect().height),
    );
    expect(last).toBe(body);
    expect(await page.locator('#main').evaluate((f) => f.getBoundingClientRect().height)).toBe(
      last,
    );
    // One figure, the one named, with the named controls.
    expect(await frame.locator('figure[data-embed-shown]').getAttribute('data-testid')).toBe(
      'std-chart',
    );
    expect(await frame.locator('figure:visible').count()).toBe(1);
    expect(await frame.getByTestId('synthetic-share').count()).toBe(1);
    expect(await frame.getByTestId('samples').count()).toBe(0);
    expect(await frame.getByTestId('scrubber').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('ignores messages of any other shape, and obeys set, play, pause, step and reset', async () => {
    const { page, problems } = await open();
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 30_000 }).toBe(1);
    const frame = await frameOf(page, 'main');
    await send(page, { type: 'collapse-lab:reset' });
    await expect.poll(() => shownGeneration(frame)).toBe(0);
    const before = (await received(page)).length;
    const wrong = [
      null,
      'collapse-lab:play',
      { type: 'collapse-lab:play', now: true },
      { type: 'collapse-lab:set', recipe: { generations: 3 }, extra: 1 },
      { type: 'collapse-lab:set', recipe: 42 },
      { type: 'collapse-lab:set' },
      { type: 'collapse-lab:SET', recipe: { generations: 3 } },
      { type: 'collapse-lab:step ' },
      { type: ['collapse-lab:step'] },
      { kind: 'collapse-lab:step' },
      JSON.stringify({ type: 'collapse-lab:step' }),
      { type: 'collapse-lab:set', recipe: 'x'.repeat(5000) },
    ];
    for (const m of wrong) await send(page, m);
    // Messages arrive in order: once this step shows, every wrong one before it was handled.
    await send(page, { type: 'collapse-lab:step' });
    await expect.poll(() => shownGeneration(frame)).toBe(1);
    expect((await received(page)).slice(before)).toEqual([]);
    expect(await frame.getByTestId('std-chart').count()).toBe(1);

    await send(page, { type: 'collapse-lab:play' });
    await expect.poll(() => shownGeneration(frame), { timeout: 20_000 }).toBe(10);
    await send(page, { type: 'collapse-lab:reset' });
    await expect.poll(() => shownGeneration(frame)).toBe(0);

    // A bad recipe: an error naming the field, nothing else changes.
    await send(page, { type: 'collapse-lab:set', recipe: { generations: 'many' } });
    await expect.poll(async () => (await ofType(page, 'error')).length).toBe(1);
    expect((await ofType(page, 'error'))[0].message).toMatch(/generations: expected a number/);
    expect((await ofType(page, 'ready')).length).toBe(1);

    // A good one: ready with the normalised recipe, then its generations and done.
    await send(page, {
      type: 'collapse-lab:set',
      recipe: { generations: 5, replicates: 10, seed: 3 },
    });
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 30_000 }).toBe(2);
    const ready = await ofType(page, 'ready');
    expect(ready[1].recipe).toMatchObject({
      version: 1,
      generations: 5,
      replicates: 10,
      seed: 3,
      samplesPerGeneration: 100,
    });
    expect(((await ofType(page, 'done'))[1].generations as unknown[]).length).toBe(6);
    // A lab link's hash works too, validated as a link is.
    await send(page, { type: 'collapse-lab:set', recipe: 'model=gmm&gens=3&reps=2&M=100&K=1' });
    await expect.poll(async () => (await ofType(page, 'ready')).length).toBe(3);
    expect((await ofType(page, 'ready'))[2].recipe).toMatchObject({
      model: 'gmm',
      generations: 3,
      components: 1,
    });
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 30_000 }).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('starts when scrolled into view and pauses playback off-screen', async () => {
    const { page, problems } = await open();
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 30_000 }).toBe(1);
    // The frame below the fold said ready and computed nothing.
    expect((await ofType(page, 'ready', 'lazy')).length).toBe(1);
    expect(await ofType(page, 'generation', 'lazy')).toEqual([]);

    // Playing, then scrolled away: playback pauses; back in view: it resumes.
    const frame = await frameOf(page, 'main');
    await send(page, {
      type: 'collapse-lab:set',
      recipe: { generations: 1000, replicates: 5, samplesPerGeneration: 20 },
    });
    await expect.poll(async () => (await ofType(page, 'done')).length, { timeout: 60_000 }).toBe(2);
    await send(page, { type: 'collapse-lab:reset' });
    await send(page, { type: 'collapse-lab:play' });
    await expect.poll(() => frame.getByTestId('play').getAttribute('aria-pressed')).toBe('true');
    await page.locator('#lazy').scrollIntoViewIfNeeded();
    await expect.poll(() => frame.getByTestId('play').getAttribute('aria-pressed')).toBe('false');
    const paused = await shownGeneration(frame);
    expect(paused).toBeLessThan(1000);
    // The lazy frame, now in view, runs.
    await expect
      .poll(async () => (await ofType(page, 'done', 'lazy')).length, { timeout: 30_000 })
      .toBe(1);
    expect(await shownGeneration(frame)).toBe(paused);
    await page.locator('#main').scrollIntoViewIfNeeded();
    await expect.poll(() => frame.getByTestId('play').getAttribute('aria-pressed')).toBe('true');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
