// Records the outputs of tests/unit/core/pinnedRuns.ts's recipes, run through the generation loop
// (src/core/generation) exactly as tests/unit/core/pinned.test.ts runs them, into
// tests/unit/core/fixtures/pinned-runs.json (or the path given). Run once before a change that
// must not move any number (`npx tsx scripts/pin-runs.ts [out.json]`); the test then holds the
// new code to these outputs.
import { writeFileSync } from 'node:fs';
import { PINNED_RECIPES, type PinnedGeneration, pinnedRun } from '../tests/unit/core/pinnedRuns';

async function main() {
  const path = process.argv[2] ?? 'tests/unit/core/fixtures/pinned-runs.json';
  const out: Record<string, PinnedGeneration[]> = {};
  for (const [name, raw] of Object.entries(PINNED_RECIPES)) out[name] = await pinnedRun(raw);
  writeFileSync(path, `${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
