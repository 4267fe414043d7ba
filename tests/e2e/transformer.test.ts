// The transformer's view in the built app: a tiny run (8 passages, one epoch, one chain) on
// WebAssembly (two generations after the first) and on WebGPU (SwiftShader here, one after the
// first: a decoding step there costs about half a second), each forced by the link's query. Each shows the backend it ran on, a passage per generation after the opening of Pride and
// Prejudice, the paper's histogram and a chart per metric with finite numbers, no console error,
// and the same link opened again writes the same passages on the same backend.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSFORMER_METRICS } from '../../src/core/models/transformer/spec';
import { launchBrowser, nonFinite, openPage, screenshot, settle, waitForRun } from './browser';

const tiny = (gens: number) => `model=transformer&M=8&gens=${gens}&reps=1&ep=1&bs=8`;
const PROMPT = 'It is a truth universally acknowledged';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Chain 1's passages at generations 0 to `gens`, as the panel shows them. */
async function passages(page: Page, gens: number): Promise<string[]> {
  const out: string[] = [];
  for (let g = 0; g <= gens; g++)
    out.push((await page.getByTestId(`transformer-passage-${g}`).textContent()) ?? '');
  return out;
}

/** Runs the tiny recipe on `backend` and checks what the view shows; returns the passages. */
async function runOn(backend: 'wasm' | 'webgpu', timeout: number, gens: number): Promise<string[]> {
  const { page, problems } = await openPage(browser, `?backend=${backend}#${tiny(gens)}`);
  // While it trains: the progress names what it does, with Cancel beside it.
  await expect
    .poll(() => page.getByTestId('transformer-progress-label').textContent(), { timeout: 60_000 })
    .toMatch(/Starting|Loading|Choosing|Generation \d of \d/);
  expect(await page.getByTestId('transformer-cancel').count()).toBe(1);
  const badge = page.getByTestId('backend-badge');
  await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 90_000 }).toBe(backend);
  expect(await badge.textContent()).toContain('as the link asked');

  await waitForRun(page, timeout);
  await settle(page);
  expect(await page.getByTestId('transformer-progress').count()).toBe(0);
  expect(await page.getByTestId('generation').textContent()).toBe(String(gens));

  // A passage per generation: the prompt, then words the model wrote.
  const texts = await passages(page, gens);
  for (const [g, text] of texts.entries()) {
    expect(text, `generation ${g}`).toContain(`Generation ${g}`);
    expect(text, `generation ${g}`).toContain(PROMPT);
    const continuation = text.slice(text.indexOf(PROMPT) + PROMPT.length);
    expect(continuation.match(/[A-Za-z]+/g)?.length ?? 0, text).toBeGreaterThan(5);
  }
  expect(await page.getByTestId(`transformer-passage-${gens}`).getAttribute('class')).toContain(
    'shown',
  );

  // The paper's histogram: an outline per generation, its description with a finite median.
  const histogram = page.getByTestId('transformer-perplexity');
  expect(await histogram.locator('path.perplexity-outline').count()).toBe(gens + 1);
  const label = (await histogram.locator('svg[role=img]').getAttribute('aria-label')) ?? '';
  const median = Number(/median (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(label)?.[1]);
  expect(Number.isFinite(median) && median > 1, label).toBe(true);
  // A chart per metric, each with a median line.
  for (const m of TRANSFORMER_METRICS) {
    expect(
      await page.getByTestId(`transformer-${m}`).locator('path.median-line').getAttribute('d'),
      m,
    ).toMatch(/^M/);
  }
  // The readout's numbers are finite: perplexities above 1, distinct-2 a share.
  const value = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
  expect(await value('transformer-perplexity-median')).toBeGreaterThan(1);
  expect(await value('transformer-perplexity-base-median')).toBeGreaterThan(1);
  const distinct2 = await value('transformer-distinct2-median');
  expect(distinct2).toBeGreaterThan(0);
  expect(distinct2).toBeLessThanOrEqual(1);
  expect(await page.getByTestId('transformer-training').textContent()).toContain('8 passages');

  expect(await nonFinite(page)).toEqual([]);
  await screenshot(page, `transformer-${backend}`);
  expect(problems).toEqual([]);
  await page.close();
  return texts;
}

describe('the transformer view', () => {
  it('fine-tunes generations on WebAssembly, and the same link writes the same passages', async () => {
    const first = await runOn('wasm', 240_000, 2);
    const again = await runOn('wasm', 240_000, 2);
    expect(again).toEqual(first);
  }, 600_000);

  it('fine-tunes two generations on WebGPU (SwiftShader)', async () => {
    await runOn('webgpu', 420_000, 1);
  }, 480_000);
});
