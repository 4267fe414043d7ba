import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../src/ui/route';

describe('routeOf', () => {
  it('opens the story on a bare address', () => {
    expect(routeOf('', '')).toBe('story');
    expect(routeOf('', '#')).toBe('story');
  });
  it('opens the lab for any link carrying a recipe, old or new', () => {
    expect(routeOf('', '#synth=0.5')).toBe('lab');
    expect(routeOf('?workers=1', '#v=1&model=gmm&K=8')).toBe('lab');
  });
  it('opens classroom mode from the query, with or without a recipe', () => {
    expect(routeOf('?mode=classroom', '')).toBe('classroom');
    expect(routeOf('?mode=classroom', '#model=gmm')).toBe('classroom');
  });
});
