// Classroom mode (`?mode=classroom`), driven by the keyboard alone as a teacher at a projector
// would: mark a guess on the final generation's axis, run it, and read the score.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const guessOf = async (page: Page) =>
  Number(await page.getByRole('slider', { name: /Your guess/ }).getAttribute('aria-valuenow'));
const generationOf = async (page: Page) =>
  Number(
    /Generation (\d+)/.exec(
      (await page.getByTestId('classroom-generation').textContent()) ?? '',
    )?.[1],
  );

describe('classroom mode', () => {
  it('predict, then reveal, by keyboard alone: the guess is scored against the result', async () => {
    const { page, problems } = await openPage(browser, '?mode=classroom');
    await page.getByTestId('classroom').waitFor();
    // A locked experiment: no controls to change it, no lab.
    expect(await page.locator('input, select, button').count()).toBe(0);
    await page.getByTestId('guess-marker').waitFor();
    expect(await generationOf(page)).toBe(0);
    // The result stays hidden while the class guesses.
    expect(await page.getByTestId('classroom-chart').count()).toBe(0);

    const first = await guessOf(page);
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
    const lowered = await guessOf(page);
    expect(lowered).toBeLessThan(first);
    await page.keyboard.press('ArrowUp');
    const guess = await guessOf(page);
    expect(guess).toBeGreaterThan(lowered);

    // Help overlay: ? shows it, Escape hides it.
    await page.keyboard.press('?');
    await page.getByTestId('classroom-help').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('classroom-help').count()).toBe(0);

    // → locks the guess and steps one generation; the guess can no longer move.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => generationOf(page)).toBe(1);
    await page.getByTestId('classroom-chart').waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await guessOf(page)).toBe(guess);

    // Space plays to the end; the reveal shows the result and a score.
    await page.keyboard.press(' ');
    const score = page.getByTestId('classroom-score');
    await score.waitFor({ timeout: 60_000 });
    expect(await generationOf(page)).toBe(100);
    const points = Number(await page.getByTestId('classroom-points').textContent());
    expect(points).toBeGreaterThanOrEqual(0);
    expect(points).toBeLessThanOrEqual(100);
    const text = (await score.textContent()) ?? '';
    const [, g, r] = /Your guess ([\d.]+), the result ([\d.]+)/.exec(text) ?? [];
    expect(Number(g)).toBeCloseTo(guess, 2);
    // 100 % synthetic data for 100 generations of 100 points: the median σ has fallen.
    expect(Number(r)).toBeGreaterThan(0.3);
    expect(Number(r)).toBeLessThan(0.9);
    await page.getByTestId('result-marker').waitFor();
    await screenshot(page, 'classroom-revealed');

    // r resets: back to generation 0 and a new guess, the chart hidden again.
    await page.keyboard.press('r');
    await expect.poll(() => generationOf(page)).toBe(0);
    expect(await page.getByTestId('classroom-chart').count()).toBe(0);
    expect(await page.getByTestId('classroom-score').count()).toBe(0);
    await page.keyboard.press('ArrowUp');
    expect(await guessOf(page)).toBeGreaterThan(guess);

    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a guess far below the result scores low', async () => {
    // Keep half the data real: σ ends near its start, where the marker can be put exactly.
    const { page, problems } = await openPage(browser, '?mode=classroom#synth=0.5&gens=30&reps=50');
    await page.getByTestId('guess-marker').waitFor();
    expect(await page.getByTestId('classroom-recipe').textContent()).toContain('50 % synthetic');
    // All the way down: a guess of 1/100 of the start.
    await page.keyboard.press('PageDown');
    for (let i = 0; i < 8; i++) await page.keyboard.press('PageDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('classroom-score').waitFor({ timeout: 60_000 });
    const low = Number(await page.getByTestId('classroom-points').textContent());
    expect(low).toBeLessThan(20);
    expect(problems).toEqual([]);
    await page.close();
  });
});
