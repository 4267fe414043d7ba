// Launches Debian's Chromium through playwright-core (its own browser download is unavailable
// here) and records every console error and page error, so tests can insist on a clean page.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import type { Model } from '../../src/core/models/registry';
import { fieldsOf } from '../../src/core/recipe';

export const ARTIFACTS = 'test-results/e2e';

export const launchBrowser = launchChromium;

export interface TrackedPage {
  page: Page;
  /** Console errors, page errors and requests to other origins seen so far. */
  problems: string[];
}

/** The lab on its default experiment (a bare address opens the story). */
export const LAB = '#v=1';

/** Opens the built app at `hash` (or `?query#hash`); the lab by default. */
export async function openPage(
  browser: Browser,
  hash = LAB,
  viewport = { width: 1280, height: 1000 },
): Promise<TrackedPage> {
  const baseURL = inject('baseURL');
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (
      !r.url().startsWith(baseURL) &&
      !r.url().startsWith('blob:') &&
      !r.url().startsWith('data:')
    ) {
      problems.push(`external request: ${r.url()}`);
    }
  });
  await page.goto(`${baseURL}${hash}`);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/**
 * Waits until the worker has streamed every generation of the current run (longer `timeout`s for
 * runs on SwiftShader's WebGPU, which is slow).
 */
export async function waitForRun(page: Page, timeout = 30_000): Promise<void> {
  await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor({ timeout });
}

/** What the reader reads at the shown generation: every readout's text, joined. */
export async function readouts(page: Page): Promise<string> {
  return page.locator('.readout').evaluateAll((els) => els.map((e) => e.textContent).join('|'));
}

export async function readNumber(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).textContent());
}

/** Attributes and texts on the page that are not finite numbers where numbers belong. */
export async function nonFinite(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll('svg *'))) {
      for (const a of Array.from(el.attributes)) {
        if (/NaN|Infinity/.test(a.value))
          bad.push(`<${el.tagName} ${a.name}="${a.value.slice(0, 60)}">`);
      }
    }
    for (const el of Array.from(
      document.querySelectorAll('.readout, [data-testid="generation"], .chart-table table'),
    )) {
      if (/NaN|Infinity/.test(el.textContent ?? '')) bad.push(`text: ${el.textContent}`);
    }
    return bad;
  });
}

/** Waits two animation frames: charts draw the store's latest state at most once per frame. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

/**
 * A link to the smallest run of `model` (one generation, one chain, the fewest points, epochs and
 * noise steps): a trained model's default first generation takes minutes on the software WebGPU
 * the tests run on.
 */
export function tinyHash(model: Model): string {
  const f = fieldsOf(model);
  const p = new URLSearchParams({ model, gens: '1', reps: '1' });
  for (const name of ['samplesPerGeneration', 'epochs', 'steps']) {
    const field = f[name];
    if (field && field.kind !== 'enum') p.set(field.short, String(field.min));
  }
  return p.toString();
}
