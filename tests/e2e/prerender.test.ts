// The story as the build prerendered it (ui/story/prerender.tsx): a reader sees the page and its
// opening chart before any script has run; React then takes that page over without redrawing
// it, and the tab's own run arrives at the generation 0 the build drew. A link into the lab or
// classroom mode never shows the story, even while the scripts are still on their way.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fmt } from '../../src/ui/format';
import { seriousViolations } from './axe';
import { launchBrowser, nonFinite } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const OPENING_CHART = '[data-testid=story-figure-opening] [data-testid=density-chart] > svg';

/** Holds the page's entry script until `release()`: what a reader sees while it downloads. */
async function holdScripts(page: Page) {
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  await page.route(/\/assets\/main-[^/]*\.js$/, async (route) => {
    await gate;
    await route.continue();
  });
  return () => release();
}

/**
 * Opens `url` and waits until its HTML is parsed (DOMContentLoaded waits for the held entry
 * script; the <noscript> note is the body's last element) and its stylesheets have loaded.
 */
async function gotoParsed(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('noscript').waitFor({ state: 'attached' });
  // And its styles: the browser paints nothing before them, and they hide the story on a link
  // into another page.
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')).every(
      (l) => l.sheet !== null,
    ),
  );
}

/** The mean and σ a chart description gives for generation 0 ("At generation 0: mean …"). */
function generationZero(label: string | null): { mean: string; std: string } {
  const m = /At generation 0: mean (\S+), standard deviation (\S+)\./.exec(label ?? '');
  if (!m) throw new Error(`no generation 0 in "${label}"`);
  return { mean: m[1], std: m[2] };
}

/** Content-Security-Policy violations of the page, recorded from before its first script. */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as never as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective}: ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as never as { __violations: string[] }).__violations);
}

describe('the prerendered story', () => {
  it('shows the page and its opening chart at generation 0 without JavaScript', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(inject('baseURL'));
    await expect(page.locator('h1').textContent()).resolves.toContain('learns from its own output');
    const chart = page.locator(OPENING_CHART);
    expect(await chart.getAttribute('data-prerendered')).toBe('opening density');
    // Its curves and axes are drawn, at finite coordinates, and it is on screen at full height.
    expect(await chart.locator('path').count()).toBeGreaterThan(3);
    const ds = await chart.locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
    expect(ds.filter((d) => !d || /NaN|Infinity/.test(d))).toEqual([]);
    const box = await chart.boundingBox();
    expect(box?.height).toBeCloseTo(300, 0);
    expect(box?.y).toBeLessThan(1000);
    const { mean, std } = generationZero(await chart.getAttribute('aria-label'));
    expect(Number.isFinite(Number(mean)) && Number(std) > 0).toBe(true);
    // Without scripts nothing else happens: the figure is the build's generation 0.
    expect(await page.getByTestId('compact-generation').first().textContent()).toBe('0');

    // Each screen shows the copy drawn for its width, and only it.
    for (const [width, copy] of [
      [390, 'prerendered-narrow'],
      [768, 'prerendered-medium'],
      [1280, 'prerendered-wide'],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      const shown = await chart
        .locator(':scope > svg')
        .evaluateAll((svgs) =>
          svgs.filter((s) => getComputedStyle(s).display !== 'none').map((s) => s.classList[0]),
        );
      expect(shown).toEqual([copy]);
      expect((await chart.boundingBox())?.height).toBeCloseTo(300, 0);
    }

    // The shown generation's curve is the theme's accent, as its legend key is, in both themes.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const [curve, key] = await page.evaluate(() => {
        const pixel = (colour: string) => {
          const c = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
          c.fillStyle = colour;
          c.fillRect(0, 0, 1, 1);
          return Array.from(c.getImageData(0, 0, 1, 1).data);
        };
        const path = document.querySelector(
          'svg[data-prerendered] > svg:not([style*=none]) .model-density.current',
        ) as Element;
        const legend = document.querySelector('[data-testid=story-figure-opening] .key-new');
        return [
          pixel(getComputedStyle(path).stroke),
          pixel(getComputedStyle(legend as Element).backgroundColor),
        ];
      });
      expect({ colorScheme, curve }).toEqual({ colorScheme, curve: key });
    }
    await context.close();
  });

  it('React takes the page over without redrawing it, and the live run reaches the same generation 0', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Hydration problems are reported as console errors or warnings.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const violations = await recordViolations(page);
    const release = await holdScripts(page);
    await gotoParsed(page, inject('baseURL'));
    const chart = page.locator(OPENING_CHART);
    // Before any script: the build's page, its chart drawn, the head's route script has run.
    expect(await chart.getAttribute('data-prerendered')).toBe('opening density');
    expect(await page.evaluate(() => document.documentElement.dataset.route)).toBe('story');
    const drawn = generationZero(await chart.getAttribute('aria-label'));
    // The page as first shown passes axe as the live page does.
    expect(await seriousViolations(page)).toEqual([]);
    // Mark the page's nodes: hydration keeps them, a fresh render would replace them.
    await page.evaluate(() => {
      for (const el of [document.querySelector('h1'), document.querySelector('.live-figure')])
        (el as never as { __fromBuild: boolean }).__fromBuild = true;
    });

    release();
    const opening = page.getByTestId('story-figure-opening');
    await opening
      .getByTestId('run-status')
      .filter({ hasText: 'simulated' })
      .waitFor({ timeout: 60_000 });
    expect(
      await page.evaluate(() =>
        [document.querySelector('h1'), document.querySelector('.live-figure')].map(
          (el) => (el as never as { __fromBuild?: boolean }).__fromBuild === true,
        ),
      ),
    ).toEqual([true, true]);
    // The live chart took over and drew, in the same place.
    await expect.poll(() => chart.getAttribute('data-prerendered')).toBeNull();
    expect(await chart.getAttribute('aria-label')).toMatch(/At generation \d+/);

    // Generation 0 of the tab's own run, from the chart's data table, is what the build drew.
    await opening.getByTestId('density-chart-table-toggle').locator('summary').click();
    const row = opening.getByTestId('density-chart-table').locator('tr', {
      has: page.locator('th', { hasText: /^generation 0$/ }),
    });
    await row.waitFor();
    const [mean, std] = await row
      .locator('td')
      .evaluateAll((tds) => tds.slice(0, 2).map((td) => Number(td.getAttribute('data-value'))));
    expect({ mean: fmt(mean), std: fmt(std) }).toEqual(drawn);

    expect(await violations()).toEqual([]);
    expect(await nonFinite(page)).toEqual([]);

    // Into the lab by the story's own link: the page's route follows.
    await page.getByTestId('open-lab').first().click();
    await page.getByTestId('tab-gaussian1d').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.route)).toBe('lab');
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const [address, page$] of [
    ['#v=1', 'the lab'],
    ['?mode=classroom', 'classroom mode'],
  ] as const) {
    it(`a link into ${page$} never shows the story, even before the scripts arrive`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const violations = await recordViolations(page);
      const release = await holdScripts(page);
      await gotoParsed(page, `${inject('baseURL')}${address}`);
      expect(await page.evaluate(() => document.documentElement.dataset.route)).toBe(
        address.startsWith('#') ? 'lab' : 'classroom',
      );
      expect(await page.locator('h1').isVisible()).toBe(false);
      expect(await page.locator('#root').isVisible()).toBe(false);
      release();
      // Then the page asked for, and no trace of the story.
      const shown = address.startsWith('#') ? 'tab-gaussian1d' : 'classroom';
      await page.getByTestId(shown).first().waitFor({ timeout: 30_000 });
      expect(await page.locator('#root').isVisible()).toBe(true);
      expect(await page.locator('[data-prerendered]').count()).toBe(0);
      expect(await page.getByTestId('story-figure-opening').count()).toBe(0);
      expect(await violations()).toEqual([]);
      await page.close();
    });
  }
});
