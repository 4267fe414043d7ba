// The CLI's answer to bad input, fuzzed through its entry function (runCli, no process per case):
// every bad recipe, truncated JSON text or bad --compare gives exit code 2 and exactly one line
// `error: …` on stderr, nothing on stdout, never a stack trace. Two cases also run as processes.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/experimentCli';
import { parseRecipe } from '../../../src/core/recipe';
import { assertNoPollution, hostileRecipe, hostileString, runs } from '../fuzz/hostile';

afterEach(assertNoPollution);

async function cli(text: string, args: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--recipe', '-', ...args], {
    readText: () => text,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

function expectOneLineRefusal(r: { code: number; stdout: string; stderr: string }) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
}

/** JSON text of a recipe the parser refuses. */
const badRecipeText = hostileRecipe
  .map((r) => JSON.stringify(r) ?? 'undefined')
  // As text (NaN becomes null, undefined values vanish): keep what the parser still refuses.
  .filter((text) => {
    try {
      return !parseRecipe(JSON.parse(text)).ok;
    } catch {
      return true;
    }
  });

describe('the experiment CLI under fuzzing', { timeout: 120_000 }, () => {
  it('answers a bad recipe with exit code 2 and one line', async () => {
    await fc.assert(
      fc.asyncProperty(badRecipeText, async (text) => expectOneLineRefusal(await cli(text))),
      { numRuns: runs(300) },
    );
  });

  it('answers truncated or garbled JSON with exit code 2 and one line', async () => {
    const good = JSON.stringify({ generations: 3, replicates: 5, filter: { truePositiveRate: 1 } });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat({ max: good.length - 1 }).map((n) => good.slice(0, n)),
          hostileString.filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return true;
            }
          }),
        ),
        async (text) => {
          const r = await cli(text);
          expectOneLineRefusal(r);
          expect(r.stderr).toMatch(/^error: recipe: not valid JSON/);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('answers a bad --compare with exit code 2 and one line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          hostileString.map((s) => `syntheticFraction=${s}`),
        ),
        async (spec) => {
          fc.pre(spec.startsWith('syntheticFraction=') || !spec.includes('='));
          const r = await cli('{"generations": 1, "replicates": 2}', [`--compare=${spec}`]);
          if (r.code === 0) return; // a spec that happened to be good
          expectOneLineRefusal(r);
          expect(r.stderr).toMatch(/^error: compare: /);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('keeps stderr empty for a good recipe, and prints one JSON object', async () => {
    const r = await cli('{"generations": 2, "replicates": 3, "samplesPerGeneration": 20}');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).generations).toHaveLength(3);
  });

  it('answers hostile recipes the same way as a process', () => {
    for (const input of [
      '{"__proto__": {"generations": 3}, "samplesPerGeneration": 1e999}',
      `{"model": "<img src=x onerror=alert(1)>", "generations": ${'9'.repeat(400)}}`,
    ]) {
      const p = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/experiment.ts', '--recipe', '-'],
        {
          input,
          encoding: 'utf8',
        },
      );
      expectOneLineRefusal({ code: p.status ?? -1, stdout: p.stdout, stderr: p.stderr });
    }
  });
});
