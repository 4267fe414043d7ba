// The run's notes (what the guard left out, what the run reported), merged so that one failure
// repeating every generation reads as one note with its range ("… at generations 3–1000, 998
// generations") instead of a note per generation; at most MAX_NOTES different notes are kept.

export const MAX_NOTES = 20;

const ONE = /\bat generation (\d+)\b/;
const MANY = /\bat generations (\d+)–(\d+) \((\d+) generations\)/;

/** The note with its generation(s) taken out, and the generations it names. */
function parse(note: string): { key: string; first: number; last: number; count: number } | null {
  const many = MANY.exec(note);
  if (many)
    return {
      key: note.replace(MANY, 'at generation #'),
      first: Number(many[1]),
      last: Number(many[2]),
      count: Number(many[3]),
    };
  const one = ONE.exec(note);
  if (!one) return null;
  const g = Number(one[1]);
  return { key: note.replace(ONE, 'at generation #'), first: g, last: g, count: 1 };
}

export function mergeNotes(old: readonly string[], add: readonly string[]): string[] {
  const out = old.slice();
  for (const note of add) {
    const p = parse(note);
    const i = p ? out.findIndex((o) => parse(o)?.key === p.key) : out.indexOf(note);
    if (i >= 0 && p) {
      const q = parse(out[i]) as NonNullable<ReturnType<typeof parse>>;
      const first = Math.min(q.first, p.first);
      const last = Math.max(q.last, p.last);
      const count = q.count + p.count;
      out[i] = p.key.replace(
        'at generation #',
        `at generations ${first}–${last} (${count} generations)`,
      );
    } else if (i < 0 && out.length < MAX_NOTES) out.push(note);
  }
  return out;
}
