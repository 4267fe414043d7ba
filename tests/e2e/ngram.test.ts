// The language model's view in the built app: a small run of two generations draws the Zipf plot,
// the perplexity histogram, the metric charts and one passage per generation after the prompt,
// with no console error and no NaN; its link carries the model's fields there and back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { nonFinite, openPage, screenshot, settle, waitForRun } from './browser';

const SMALL = 'model=ngram&gens=2&reps=2&M=20';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the language-model view', () => {
  it('runs two generations and shows the charts and a passage per generation', async () => {
    const { page, problems } = await openPage(browser, `#${SMALL}`);
    await waitForRun(page);
    await settle(page);
    expect(await page.getByTestId('generation').textContent()).toBe('2');
    for (const g of [0, 1, 2]) {
      const text = (await page.getByTestId(`ngram-passage-${g}`).textContent()) ?? '';
      expect(text).toContain(`Generation ${g}`);
      expect(text).toContain('It is a truth');
      // The prompt is followed by words.
      expect(text.split('It is a truth')[1].trim().split(/\s+/).length).toBeGreaterThan(10);
    }
    expect(await page.getByTestId('ngram-passage-2').isVisible()).toBe(true);
    const zipf = page.getByTestId('ngram-zipf');
    expect(await zipf.locator('path.zipf-curve').count()).toBe(3);
    expect(await zipf.locator('path.zipf-real').getAttribute('d')).toMatch(/^M/);
    expect(
      await page.getByTestId('ngram-perplexity').locator('path.perplexity-outline').count(),
    ).toBe(3);
    for (const m of ['perplexityReal', 'vocabAlive', 'giniSimpson', 'repetition']) {
      expect(
        await page.getByTestId(`ngram-${m}`).locator('path.median-line').getAttribute('d'),
        m,
      ).toMatch(/^M/);
    }
    const vocab = Number(await page.getByTestId('ngram-vocab-median').getAttribute('data-value'));
    expect(vocab).toBeGreaterThan(50);
    expect(vocab).toBeLessThan(1280);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'ngram');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows the Wright–Fisher curve for the unigram model without smoothing', async () => {
    const { page, problems } = await openPage(
      browser,
      '#model=ngram&gens=5&reps=4&M=4&n=1&sm=none',
    );
    await waitForRun(page);
    await settle(page);
    expect(
      await page.getByTestId('ngram-giniSimpson').locator('path.theory-line').getAttribute('d'),
    ).toMatch(/^M/);
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('keeps its fields in the link, there and back', async () => {
    const { page, problems } = await openPage(browser, `#${SMALL}&n=2&sm=addk&topp=0.9`);
    await waitForRun(page);
    expect(await page.getByTestId('order').inputValue()).toBe('2');
    expect(await page.getByTestId('top-p').inputValue()).toBe('90');
    await page.getByTestId('top-p').fill('75');
    await page.getByTestId('order').fill('4');
    await expect.poll(() => page.url()).toContain('topp=0.75');
    await expect.poll(() => page.url()).toContain('n=4');
    const link = page.url();
    expect(link).toContain('sm=addk');
    await waitForRun(page);
    const again = await openPage(browser, link.slice(link.indexOf('#')));
    await waitForRun(again.page);
    expect(await again.page.getByTestId('order').inputValue()).toBe('4');
    expect(await again.page.getByTestId('top-p').inputValue()).toBe('75');
    expect(again.page.url()).toBe(link);
    expect(await nonFinite(again.page)).toEqual([]);
    expect([...problems, ...again.problems]).toEqual([]);
    await page.close();
    await again.page.close();
  }, 120_000);
});
