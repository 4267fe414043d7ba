// The story (the page a bare address opens), read as a visitor would: figures start as they come
// on screen and pause when they leave, "try this" buttons set a figure's recipe in place, a
// figure opens in the lab, and links that carry a recipe still open the lab.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, readNumber, screenshot, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const STORY = '';
const figure = (page: Page, id: string) => page.getByTestId(`story-figure-${id}`);
const generationOf = async (f: Locator) =>
  Number(await f.getByTestId('compact-generation').textContent());
const finished = (f: Locator) =>
  f.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor({ timeout: 60_000 });

describe('the story', () => {
  it('opens on the story, and a figure plays while on screen and pauses when scrolled away', async () => {
    const { page, problems } = await openPage(browser, STORY);
    await expect(page.locator('h1').textContent()).resolves.toContain('learns from its own output');
    // The lab's controls are not on the story page.
    expect(await page.getByTestId('tab-gmm').count()).toBe(0);
    const opening = figure(page, 'opening');
    await expect.poll(() => generationOf(opening), { timeout: 20_000 }).toBeGreaterThan(3);
    expect(await opening.getByTestId('compact-play').textContent()).toMatch(/Pause/);

    // A figure far down has not started: nothing runs before the reader gets there.
    const remedies = figure(page, 'remedies');
    expect(await remedies.getByTestId('run-status').count()).toBe(0);

    // Scroll to the end: the opening figure leaves the screen and pauses where it was.
    await page.getByRole('heading', { name: 'Read more' }).scrollIntoViewIfNeeded();
    await expect.poll(() => opening.getByTestId('compact-play').textContent()).toMatch(/Play/);
    const paused = await generationOf(opening);
    expect(paused).toBeLessThan(200);
    await page.waitForTimeout(800);
    expect(await generationOf(opening)).toBe(paused);

    // The remedies figure came on screen on the way and ran.
    await remedies.scrollIntoViewIfNeeded();
    await finished(remedies);

    // Back at the top the opening figure resumes from where it paused.
    await opening.scrollIntoViewIfNeeded();
    await expect.poll(() => generationOf(opening), { timeout: 20_000 }).toBeGreaterThan(paused);
    await expect.poll(() => generationOf(opening), { timeout: 30_000 }).toBe(200);
    await screenshot(page, 'story-top');
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('each "try this" button sets its figure’s recipe in place', async () => {
    const { page, problems } = await openPage(browser, STORY);
    await figure(page, 'opening').waitFor();
    const ids = await page
      .locator('[data-testid^="story-figure-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(13) ?? ''));
    expect(ids).toEqual(
      expect.arrayContaining(['opening', 'gaussian1d', 'gmm', 'vae', 'remedies']),
    );
    for (const id of ids) {
      const f = figure(page, id);
      await f.scrollIntoViewIfNeeded();
      const buttons = f.getByTestId('try-this');
      const count = await buttons.count();
      expect(count, `${id} has a "try this" button`).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) {
        const button = buttons.nth(i);
        const label = (await button.textContent()) ?? '';
        const linkBefore = await f.getByTestId('open-in-lab').getAttribute('href');
        await button.click();
        // The reader sees which recipe runs, the button marked, and the figure starting over.
        await expect.poll(() => f.getByTestId('figure-showing').textContent()).toContain(label);
        expect(await button.getAttribute('aria-pressed')).toBe('true');
        expect(await f.getByTestId('open-in-lab').getAttribute('href')).not.toBe(linkBefore);
        // The tfjs models train for a while; the plain-TypeScript ones run to the end here.
        if (!['vae', 'diffusion', 'transformer'].includes(id)) await finished(f);
      }
      // A reader moving on from a model still training stops it (Cancel), so it does not slow
      // the next figure on a loaded machine.
      const cancel = f.getByTestId(`${id}-cancel`);
      if (await cancel.isVisible()) await cancel.click();
    }
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('"Text that repeats itself" runs the transformer, and its fast "try this" the n-gram model', async () => {
    const { page, problems } = await openPage(browser, STORY);
    const f = figure(page, 'transformer');
    await f.scrollIntoViewIfNeeded();
    expect(await page.locator('#transformer-title').textContent()).toBe('Text that repeats itself');
    // The transformer's small recipe: a passage per generation after the same prompt.
    await f
      .getByTestId('run-status')
      .filter({ hasText: 'simulated' })
      .waitFor({ timeout: 170_000 });
    for (const g of [0, 5])
      expect(await f.getByTestId(`transformer-passage-${g}`).textContent()).toContain(
        'It is a truth universally acknowledged',
      );
    expect(await f.getByTestId('transformer-distinct2').locator('path.median-line').count()).toBe(
      1,
    );
    // Its fast version: the figure becomes the n-gram model's, and runs to the end in seconds.
    await f.getByRole('button', { name: 'The fast version: an n-gram model' }).click();
    await finished(f);
    expect(await f.getByTestId('ngram-passage-9').textContent()).toContain('Generation 9');
    expect(await f.getByTestId('transformer-passages').count()).toBe(0);
    expect(await f.getByTestId('open-in-lab').getAttribute('href')).toContain('model=ngram');
    await screenshot(page, 'story-text');
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('"keep half the data real" holds the bell curve, and the figure opens in the lab', async () => {
    const { page, problems } = await openPage(browser, STORY);
    const f = figure(page, 'gaussian1d');
    await f.scrollIntoViewIfNeeded();
    await f.getByRole('button', { name: 'Keep half the data real' }).click();
    expect(await f.getByTestId('compact-synthetic-share').inputValue()).toBe('50');
    await finished(f);
    await f.getByTestId('open-in-lab').click();
    // The lab, with that experiment: its controls and numbers.
    await page.getByTestId('tab-gmm').waitFor();
    expect(await page.getByTestId('story-figure-opening').count()).toBe(0);
    await waitForRun(page);
    expect(await page.getByTestId('synthetic-share').inputValue()).toBe('50');
    expect(page.url()).toContain('synth=0.5');
    expect(page.url()).toContain('reps=100');
    const std = await readNumber(page, 'std-median');
    expect(std).toBeGreaterThan(0.85);
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a link made before the story (a recipe in the hash) still opens that experiment in the lab', async () => {
    const { page, problems } = await openPage(browser, '#synth=0.9&M=200&gens=150&reps=50');
    await waitForRun(page);
    expect(await page.getByTestId('story-figure-opening').count()).toBe(0);
    expect(await page.getByTestId('synthetic-share').inputValue()).toBe('90');
    expect(await page.getByTestId('generation').textContent()).toBe('150');
    expect(page.url()).toContain('M=200');
    // And the story is one click back.
    await page.getByTestId('back-to-story').click();
    await expect.poll(() => page.getByTestId('story-figure-opening').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** Whether a box lies inside the viewport (fully), or meets it (partly). */
async function inView(page: Page, locator: Locator, fully = true): Promise<boolean> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) return false;
  return fully
    ? box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width
    : box.y < vp.height && box.y + box.height > 0;
}

describe('on a phone (390 px wide)', () => {
  const PHONE = { width: 390, height: 844 };

  it('the story keeps play and the synthetic-share slider on screen with its figure', async () => {
    const { page, problems } = await openPage(browser, STORY, PHONE);
    for (const id of ['opening', 'gaussian1d', 'remedies']) {
      const f = figure(page, id);
      // A figure's chart is drawn once the figure first comes on screen.
      await f.scrollIntoViewIfNeeded();
      const chart = f.locator('figure').first();
      await chart.waitFor();
      // The chart at the top of the screen, then at its bottom (its bar, below it, pinned there).
      for (const at of ['start', 'end'] as const) {
        await chart.evaluate((el, block) => el.scrollIntoView({ block }), at);
        await expect.poll(() => inView(page, chart, false)).toBe(true);
        expect(await inView(page, f.getByTestId('compact-play')), `${id} ${at}: play`).toBe(true);
        const slider = f.getByTestId('compact-synthetic-share');
        expect(await inView(page, slider), `${id} ${at}: slider`).toBe(true);
      }
    }
    // The slider works there: the figure reruns at the new share.
    const f = figure(page, 'remedies');
    await f.getByTestId('compact-synthetic-share').fill('50');
    await expect
      .poll(() => f.getByTestId('figure-showing').textContent())
      .toContain('your settings');
    await finished(f);
    await screenshot(page, 'story-phone');
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the lab keeps play and the synthetic-share slider on screen while its main figure is', async () => {
    const { page, problems } = await openPage(browser, '#v=1', PHONE);
    await waitForRun(page);
    const chart = page.getByTestId('density-chart');
    for (const at of ['start', 'end'] as const) {
      await chart.evaluate((el, block) => el.scrollIntoView({ block }), at);
      await expect.poll(() => inView(page, chart, false)).toBe(true);
      expect(await inView(page, page.getByTestId('compact-play')), `${at}: play`).toBe(true);
      expect(await inView(page, page.getByTestId('compact-synthetic-share')), `${at}: slider`).toBe(
        true,
      );
    }
    // The compact slider drives the lab's recipe, like the full one.
    await page.getByTestId('compact-synthetic-share').fill('50');
    await expect.poll(() => page.url()).toContain('synth=0.5');
    await waitForRun(page);
    expect(await readNumber(page, 'std-median')).toBeGreaterThan(0.85);
    await page.getByTestId('compact-play').click();
    await expect.poll(() => page.getByTestId('compact-play').textContent()).toMatch(/Pause|Play/);
    await screenshot(page, 'lab-phone');
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('with prefers-reduced-motion', () => {
  it('a figure coming on screen shows its last generation instead of animating', async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 1000 },
      reducedMotion: 'reduce',
    });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(inject('baseURL'));
    const opening = figure(page, 'opening');
    await finished(opening);
    await expect.poll(() => generationOf(opening)).toBe(200);
    expect(await opening.getByTestId('compact-play').textContent()).toMatch(/Play/);
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
