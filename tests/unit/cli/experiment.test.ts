// The CLI contract (docs/architecture.md, "Command line"), run as a user would, through tsx.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function experiment(input: string, args = ['--recipe', '-']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/experiment.ts', ...args], {
    input,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run experiment', () => {
  it('prints one JSON object with the normalised recipe and per-generation summaries', () => {
    const r = experiment(
      JSON.stringify({ generations: 4, replicates: 20, samplesPerGeneration: 50 }),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.recipe).toMatchObject({
      version: 1,
      model: 'gaussian1d',
      generations: 4,
      replicates: 20,
    });
    expect(out.backend).toBe('cpu');
    expect(out.elapsedMs).toBeGreaterThan(0);
    expect(out.generations).toHaveLength(5);
    expect(out.generations.map((g: { generation: number }) => g.generation)).toEqual([
      0, 1, 2, 3, 4,
    ]);
    for (const metric of ['std', 'variance', 'mean', 'tailMass', 'w2', 'kl']) {
      const s = out.generations[4].stats[metric];
      expect(Object.keys(s).sort()).toEqual(['mean', 'median', 'q05', 'q25', 'q75', 'q95']);
      expect(s.q05).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.q95);
    }
    expect(out.theory).toHaveLength(5);
  });

  it('gives the same numbers for the same seed', () => {
    const input = JSON.stringify({ generations: 3, replicates: 10, seed: 42 });
    const a = JSON.parse(experiment(input).stdout);
    const b = JSON.parse(experiment(input).stdout);
    expect(a.generations).toEqual(b.generations);
  });

  it('clamps with a warning on stderr and still succeeds', () => {
    const r = experiment(JSON.stringify({ generations: 2, replicates: 5, syntheticFraction: 3 }));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('syntheticFraction: 3 is outside 0–1; clamped to 1');
    expect(JSON.parse(r.stdout).recipe.syntheticFraction).toBe(1);
  });

  it.each([
    ['{"generations": "many"}', /^error: generations: /],
    ['{"regime": "sideways"}', /^error: regime: /],
    ['{"colour": "red"}', /^error: colour: unknown field/],
    ['{not json', /^error: recipe: not valid JSON/],
    ['[1, 2]', /^error: recipe: expected a JSON object/],
    ['{"model": "diffusion", "steps": "many"}', /^error: steps: expected a number/],
    ['{"model": "diffusion", "realDistribution": "moon"}', /^error: realDistribution: /],
  ])('rejects %s with a one-line error naming the field and exit code 2', (input, pattern) => {
    const r = experiment(input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs a small diffusion recipe on wasm with a clean stderr', () => {
    const r = experiment(
      JSON.stringify({
        model: 'diffusion',
        generations: 1,
        samplesPerGeneration: 256,
        steps: 50,
        hiddenSize: 16,
        epochs: 10,
      }),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.recipe).toMatchObject({ model: 'diffusion', realDistribution: 'ring8', steps: 50 });
    expect(out.backend).toBe('wasm');
    expect(out.generations).toHaveLength(2);
    expect(Object.keys(out.generations[1].stats).sort()).toEqual([
      'modesAlive',
      'precision',
      'recall',
      'std',
      'w2',
    ]);
  });

  it('prints one result per variant with --compare, on common random numbers', () => {
    const r = experiment(JSON.stringify({ generations: 3, replicates: 20 }), [
      '--recipe',
      '-',
      '--compare',
      'regime=replace,accumulate',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.compare.field).toBe('regime');
    expect(out.variants.map((v: { value: string }) => v.value)).toEqual(['replace', 'accumulate']);
    const [a, b] = out.variants;
    expect(a.recipe.regime).toBe('replace');
    expect(b.recipe.regime).toBe('accumulate');
    expect(a.generations[0].stats).toEqual(b.generations[0].stats);
    expect(a.generations[3].stats.std).not.toEqual(b.generations[3].stats.std);
  });

  it('rejects a bad --compare with one line and exit code 2', () => {
    const r = experiment('{}', ['--recipe', '-', '--compare', 'seed=1,2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: compare: "seed" is not a field to compare/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs the language model from a recipe written inline, with a clean stderr', {
    timeout: 60_000,
  }, () => {
    const recipe = { model: 'ngram', generations: 2, replicates: 2, samplesPerGeneration: 20 };
    const r = experiment('', ['--recipe', JSON.stringify(recipe)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.recipe).toMatchObject({ ...recipe, order: 3, smoothing: 'kn', topK: 0, topP: 1 });
    expect(out.generations).toHaveLength(3);
    for (const m of [
      'perplexityReal',
      'perplexityBase',
      'vocabAlive',
      'entropy',
      'giniSimpson',
      'tailMass',
      'repetition',
    ])
      expect(Number.isFinite(out.generations[2].stats[m].median), m).toBe(true);
    // The unigram chain without smoothing has the Wright–Fisher curve.
    const wf = experiment('', [
      '--recipe',
      JSON.stringify({ ...recipe, order: 1, smoothing: 'none' }),
    ]);
    expect(JSON.parse(wf.stdout).theory).toHaveLength(3);
  });

  it('clamps a bad language-model value with a warning naming the field', {
    timeout: 30_000,
  }, () => {
    const r = experiment('', [
      '--recipe',
      '{"model":"ngram","generations":1,"replicates":1,"samplesPerGeneration":4,"topP":7}',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('warning: topP: 7 is outside 0.05–1; clamped to 1');
  });

  it('exits 2 when --recipe is missing or unreadable', () => {
    expect(experiment('', []).code).toBe(2);
    const r = experiment('', ['--recipe', 'does-not-exist.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --recipe: cannot read/);
  });
});
