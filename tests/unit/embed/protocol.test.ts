// The embed's messages and address: only the protocol's exact shapes are read (thousands of random
// and near-miss messages are not), and the address splits into a link's recipe and the embed's
// own figure, controls and theme.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedSrc } from '../../../src/docs/snippet';
import { embedControls, readEmbedHash } from '../../../src/embed/params';
import { readMessage } from '../../../src/embed/protocol';

describe('readMessage', () => {
  it.each([
    [{ type: 'collapse-lab:play' }],
    [{ type: 'collapse-lab:pause' }],
    [{ type: 'collapse-lab:step' }],
    [{ type: 'collapse-lab:reset' }],
    [{ type: 'collapse-lab:set', recipe: { generations: 3 } }],
    [{ type: 'collapse-lab:set', recipe: 'model=gmm&K=3' }],
  ])('reads %j', (m) => {
    expect(readMessage(m)).toEqual(m);
  });

  it.each([
    [null],
    ['collapse-lab:play'],
    [{ type: 'collapse-lab:play', extra: 1 }],
    [{ type: 'collapse-lab:set' }],
    [{ type: 'collapse-lab:set', recipe: 3 }],
    [{ type: 'collapse-lab:set', recipe: [1] }],
    [{ type: 'collapse-lab:set', recipe: 'x'.repeat(4001) }],
    [{ type: 'collapse-lab:ready', recipe: {} }],
    [{ type: 'COLLAPSE-LAB:PLAY' }],
    [JSON.parse('{"__proto__": {"type": "collapse-lab:play"}}')],
  ])('ignores %j', (m) => {
    expect(readMessage(m)).toBeNull();
  });

  it('ignores random values of every shape without throwing', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (v) => {
        const m = readMessage(v);
        // Anything read has exactly a protocol shape.
        if (m !== null) expect(m.type.startsWith('collapse-lab:')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores near misses of the real messages', () => {
    const types = ['set', 'play', 'pause', 'step', 'reset'].map((t) => `collapse-lab:${t}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.string({ minLength: 1, maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1 }), fc.anything(), { minKeys: 1, maxKeys: 3 }),
        (type, noise, extra) => {
          expect(readMessage({ type: `${type}${noise}` })).toBeNull();
          const withExtra = { type, recipe: {}, ...extra };
          const keys = Object.keys(withExtra);
          const allowed = type.endsWith(':set') ? ['type', 'recipe'] : ['type'];
          if (keys.some((k) => !allowed.includes(k))) expect(readMessage(withExtra)).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the embed address', () => {
  it('splits the recipe from figure, controls and theme', () => {
    const p = readEmbedHash('#model=gmm&K=3&figure=gmm-scatter&controls=synth,play,K&theme=dark');
    expect(p).toEqual({
      recipeHash: 'model=gmm&K=3',
      figure: 'gmm-scatter',
      controls: ['synth', 'play', 'K'],
      theme: 'dark',
      messages: [],
    });
    expect(embedControls('gmm', p.controls)).toEqual({
      fields: ['syntheticFraction', 'components'],
      transport: ['play'],
      unknown: [],
    });
  });

  it('names what it cannot use and never passes markup on', () => {
    const p = readEmbedHash('#figure=<img src=x>&theme=neon&controls=synth,rm -rf,model');
    expect(p.figure).toBeNull();
    expect(p.theme).toBeNull();
    expect(p.messages).toEqual([
      'theme: "neon" is not one of light, dark',
      'figure: "<img src=x>" is not a figure name',
    ]);
    expect(embedControls('gaussian1d', p.controls).unknown).toEqual(['rm -rf', 'model']);
  });

  it('is what the docs page writes', () => {
    const src = embedSrc({
      embedUrl: 'https://example.org/lab/embed.html',
      recipeHash: 'v=1&model=gmm&K=3',
      figure: 'gmm-w2',
      controls: ['synth', 'play'],
      theme: 'light',
    });
    expect(src).toBe(
      'https://example.org/lab/embed.html#v=1&model=gmm&K=3&figure=gmm-w2&controls=synth,play&theme=light',
    );
    const back = readEmbedHash(new URL(src).hash);
    expect(back).toMatchObject({
      recipeHash: 'v=1&model=gmm&K=3',
      figure: 'gmm-w2',
      theme: 'light',
    });
  });
});
