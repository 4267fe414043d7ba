// Notes that repeat every generation merge into one with its range; others stay as they are.
import { describe, expect, it } from 'vitest';
import { MAX_NOTES, mergeNotes } from '../../../src/state/notes';

describe('mergeNotes', () => {
  it('merges a note repeated at each generation into one naming the range and the count', () => {
    let notes: string[] = [];
    for (let g = 3; g <= 1000; g++)
      notes = mergeNotes(notes, [`chain 1's training points are not finite at generation ${g}`]);
    expect(notes).toEqual([
      "chain 1's training points are not finite at generations 3–1000 (998 generations)",
    ]);
  });

  it('keeps different notes apart, drops an exact repeat, and keeps at most MAX_NOTES', () => {
    const a = 'std is not a number in any chain at generation 4';
    const b = "chain 1's model is not finite at generation 4";
    const c = 'The tfjs engine failed; the run goes on in TypeScript.';
    expect(mergeNotes([a], [b, c, c])).toEqual([a, b, c]);
    const many = Array.from({ length: 30 }, (_, i) => `note ${i}`);
    expect(mergeNotes([], many)).toHaveLength(MAX_NOTES);
  });

  it('merges out of order generations into the right range', () => {
    const n = (g: number) => `kl: 2 chains gave no number at generation ${g} and are left out`;
    expect(mergeNotes([n(9)], [n(2), n(5)])).toEqual([
      'kl: 2 chains gave no number at generations 2–9 (3 generations) and are left out',
    ]);
  });
});
