// Accessibility of every page and mode, as axe-core judges it: no serious or critical violation,
// with the page's disclosures (export, data table) open and a run under way. Adding a page or mode
// is one line in PAGES. Also: every control is reached by Tab and has a visible label, and the
// live region speaks each generation in words.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { MODELS } from '../../src/core/models/registry';
import { seriousViolations } from './axe';
import { openPage, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens every closed <details> so what they hold is scanned too. */
async function openDisclosures(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const d of Array.from(document.querySelectorAll('details'))) d.open = true;
  });
}

/** Small runs: the scan wants the page with figures drawn, not a long computation. */
const SMALL = 'gens=6&reps=4&M=200';

/** What each page shows once it is ready to scan (default: its figures, drawn or training). */
const FIGURE = 'figure svg, figure canvas';
const PAGES: { name: string; path: string; ready?: string }[] = [
  ...MODELS.map((m) => ({ name: `the lab, ${m} tab`, path: `#model=${m}&${SMALL}` })),
  {
    name: 'the embed',
    path: `embed.html#model=gaussian1d&${SMALL}&figure=std&controls=synth,play`,
  },
  {
    name: 'the embed, dark',
    path: `embed.html#model=gmm&${SMALL}&figure=gmm-scatter&controls=synth,K,play,step,reset&theme=dark`,
  },
  { name: 'the embed docs page', path: 'docs/embed.html', ready: '[data-testid="docs-snippet"]' },
  { name: 'the story', path: '' },
  {
    name: 'classroom mode',
    path: `?mode=classroom#${SMALL}`,
    ready: '[data-testid="guess-marker"]',
  },
];

describe('axe finds no serious or critical violation', () => {
  it.each(PAGES)(
    'on $name',
    async ({ name, path, ready = FIGURE }) => {
      const { page, problems } = await openPage(browser, path);
      await page.locator(ready).first().waitFor({ state: 'attached' });
      await page.waitForTimeout(500);
      await openDisclosures(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `a11y-${name.replace(/[^a-z0-9]+/gi, '-')}`);
      expect(problems).toEqual([]);
      await page.close();
    },
    90_000,
  );
});

describe('keyboard', () => {
  it('reaches every control of the lab by Tab, each with a visible label', async () => {
    const { page, problems } = await openPage(browser, `#${SMALL}`);
    await page.getByTestId('readout').waitFor();
    await openDisclosures(page);
    const controls = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>(
          'main button, main input, main select, main summary',
        ),
      )
        .filter((el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled)
        .map((el) => el.id || el.dataset.testid || el.textContent || el.tagName),
    );
    const reached = new Set<string>();
    for (let i = 0; i < controls.length * 2 + 20; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? el.id || el.dataset.testid || el.textContent || el.tagName : '';
      });
      reached.add(id);
    }
    // Radio groups take one Tab stop (arrows move within them): count a group once.
    const radios = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('main input[type=radio]')).map(
        (r) => ({ id: r.id || r.dataset.testid || '', name: r.name }),
      ),
    );
    const groupReached = new Set(radios.filter((r) => reached.has(r.id)).map((r) => r.name));
    const missed = controls.filter(
      (c) => !reached.has(c) && !radios.some((r) => r.id === c && groupReached.has(r.name)),
    );
    expect(missed).toEqual([]);
    // Every form control has a label a sighted reader sees.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('main input, main select'))
        .filter((el) => el.type !== 'radio' && el.getClientRects().length > 0)
        .filter((el) => {
          const label = el.labels?.[0] ?? el.closest('label');
          return (
            !label || (label.textContent ?? '').trim() === '' || label.getClientRects().length === 0
          );
        })
        .map((el) => el.dataset.testid ?? el.id),
    );
    expect(unlabelled).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('plays, steps and resets from the keyboard alone', async () => {
    const { page, problems } = await openPage(browser, '#gens=30&reps=10');
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('2');
    await page.getByTestId('reset').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    await page.getByTestId('play').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('generation').textContent(), { timeout: 20_000 })
      .toBe('30');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('screen readers', () => {
  it('hear each generation in words from the live region, with the chart’s numbers', async () => {
    const { page, problems } = await openPage(browser, '#gens=40&reps=50&seed=3');
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    const live = page.getByTestId('live-summary');
    await expect
      .poll(() => live.textContent(), { timeout: 10_000 })
      .toMatch(/^generation 40: spread [0-9.]+ of the original; tails [0-9.]+ %$/);
    const text = (await live.textContent()) as string;
    // The spread is the median σ at 40 over the median σ at 0, as the readout shows it.
    const spread = Number(/spread ([0-9.]+)/.exec(text)?.[1]);
    const std40 = Number(await page.getByTestId('std-median').textContent());
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    const std0 = Number(await page.getByTestId('std-median').textContent());
    expect(Math.abs(spread - std40 / std0)).toBeLessThan(0.02);
    expect(await live.getAttribute('aria-live')).toBe('polite');
    // The data table holds the same median as the readout.
    await page.getByText("The figures' numbers as a table").click();
    const row0 = page.getByTestId('data-table').locator('tbody tr').first();
    await expect.poll(() => row0.locator('td').first().textContent()).toContain(String(std0));
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('prefers-reduced-motion', () => {
  /** The generations the scrubber showed while playing a 200-generation run to its end. */
  async function shownWhilePlaying(reduced: boolean): Promise<number> {
    const context = await browser.newContext({
      reducedMotion: reduced ? 'reduce' : 'no-preference',
    });
    const page = await context.newPage();
    await page.goto(`${inject('baseURL')}#gens=200&reps=20`);
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    await page.getByTestId('reset').click();
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seen: Set<string> }).seen = seen;
      const out = document.querySelector('[data-testid="generation"]') as HTMLElement;
      new MutationObserver(() => seen.add(out.textContent ?? '')).observe(out, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByTestId('play').click();
    await expect
      .poll(() => page.getByTestId('generation').textContent(), { timeout: 30_000 })
      .toBe('200');
    const count = await page.evaluate(() => (window as unknown as { seen: Set<string> }).seen.size);
    await context.close();
    return count;
  }

  it('plays in a few discrete steps instead of animating frame by frame', async () => {
    // The run plays in about six seconds either way: one step a second when motion is reduced.
    expect(await shownWhilePlaying(true)).toBeLessThanOrEqual(9);
    expect(await shownWhilePlaying(false)).toBeGreaterThan(12);
  }, 90_000);
});
