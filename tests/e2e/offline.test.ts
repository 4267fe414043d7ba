// Offline and nothing from elsewhere: after a first visit the service worker has the whole app
// (pages, scripts, workers, wasm, data), so it reloads and runs with the network cut; a whole
// session (every model's tab, the embed, the docs page) requests nothing outside the page's
// origin; and the Content-Security-Policy names no other host and blocks one when asked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { MODELS, type Model } from '../../src/core/models/registry';
import { tinyHash } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const base = () => inject('baseURL');

function track(context: BrowserContext) {
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });
  return { requests, problems };
}

/** Opens `model`'s tab, then its smallest run. */
async function visitTab(page: Page, model: Model) {
  await page.getByTestId(`tab-${model}`).click();
  await page.evaluate((hash) => {
    location.hash = hash;
  }, tinyHash(model));
}

/** Waits until the live region speaks a generation of the current run (any model). */
async function firstGeneration(page: Page, before = '') {
  await expect
    .poll(async () => (await page.getByTestId('live-summary').textContent()) ?? '', {
      timeout: 120_000,
    })
    .toMatch(/^generation \d+/);
  if (before)
    await expect
      .poll(async () => page.getByTestId('live-summary').textContent(), { timeout: 120_000 })
      .not.toBe(before);
}

async function serviceWorkerReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);
}

describe('offline', () => {
  it('reloads and runs with the network cut after a first visit, every model and the embed', async () => {
    const context = await browser.newContext();
    const { problems } = track(context);
    const page = await context.newPage();
    await page.goto(`${base()}#gens=6&reps=20&seed=4`);
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    const online = await page.getByTestId('std-median').textContent();
    await serviceWorkerReady(page);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    expect(await page.getByTestId('std-median').textContent()).toBe(online);
    // Every other model, its lazy view, workers, tfjs and its data, from the cache.
    let said = (await page.getByTestId('live-summary').textContent()) ?? '';
    for (const model of MODELS.filter((m) => m !== 'gaussian1d')) {
      await visitTab(page, model);
      await firstGeneration(page, said);
      said = (await page.getByTestId('live-summary').textContent()) ?? '';
    }
    const embed = await context.newPage();
    await embed.goto(`${base()}embed.html#gens=3&reps=5&figure=std`);
    await embed
      .getByTestId('live-summary')
      .filter({ hasText: /generation 3/ })
      .waitFor();
    // The network really is cut: a page the cache does not hold does not load.
    await expect(embed.goto(`${base()}not-cached.html`)).rejects.toThrow();
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});

describe('no request leaves the page’s origin', () => {
  it('in a whole session: the story, every tab of the lab, classroom mode, the embed and the docs page', async () => {
    const context = await browser.newContext();
    const { requests, problems } = track(context);
    const page = await context.newPage();
    await page.goto(`${base()}#gens=4&reps=10`);
    await firstGeneration(page);
    let said = (await page.getByTestId('live-summary').textContent()) ?? '';
    for (const model of MODELS.filter((m) => m !== 'gaussian1d')) {
      await visitTab(page, model);
      await firstGeneration(page, said);
      said = (await page.getByTestId('live-summary').textContent()) ?? '';
    }
    await page.getByText('Export and import').click();
    await page.getByTestId('copy-link').click();
    const embed = await context.newPage();
    await embed.goto(`${base()}embed.html#model=gmm&gens=3&reps=4&M=200&figure=gmm-scatter`);
    await firstGeneration(embed);
    const story = await context.newPage();
    await story.goto(base());
    await story.locator('figure svg, figure canvas').first().waitFor({ state: 'attached' });
    await story.mouse.wheel(0, 3000);
    const classroom = await context.newPage();
    await classroom.goto(`${base()}?mode=classroom`);
    await classroom.locator('main').first().waitFor();
    const docs = await context.newPage();
    await docs.goto(`${base()}docs/embed.html`);
    await docs.getByTestId('docs-figure').locator('option').nth(1).waitFor({ state: 'attached' });

    const origin = new URL(base()).origin;
    const elsewhere = requests.filter(
      (u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'),
    );
    expect(requests.length).toBeGreaterThan(20);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('because the pages’ policy names no other host and blocks one', async () => {
    const page = await browser.newPage();
    for (const path of ['', 'embed.html', 'docs/embed.html']) {
      await page.goto(`${base()}${path}`);
      const policy = await page
        .locator('meta[http-equiv="Content-Security-Policy"]')
        .getAttribute('content');
      expect(policy).toMatch(/default-src 'self'/);
      expect(policy).not.toMatch(/https?:|\*/);
    }
    const blocked = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
          const img = new Image();
          img.src = 'http://127.0.0.2:9/pixel.png';
        }),
    );
    expect(blocked).toBe('img-src');
    await page.close();
  }, 60_000);
});
