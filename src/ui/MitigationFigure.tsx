// What the mitigations did to a run, for any model (they are the loop's): per generation, the
// synthetic share the recipe asks for, the share that reached training after the filter, and
// the share of real points the filter dropped, with starved generations marked; and a readout of
// those at the shown generation. Shown only while a mitigation is on.
import { comparisonChart, comparisonTable } from '../charts/comparisonChart';
import { hasMitigations } from '../core/generation/mitigations';
import type { LoopRecipe } from '../core/generation/types';
import type { Summary } from '../core/summary';
import type { ShownResult } from '../state/guard';
import {
  effectiveShares,
  realLostShares,
  scheduledShares,
  starvedGenerations,
} from '../state/mitigationSeries';
import { type AppState, shownGeneration, useStore } from '../state/store';
import { ChartDataTable } from './ChartDataTable';
import { fmt } from './format';
import { useChart } from './useChart';

const point = (v: number | null): Summary | null =>
  v === null ? null : { mean: v, median: v, q05: v, q25: v, q75: v, q95: v };

const loopRecipe = (s: AppState) => s.recipe as unknown as LoopRecipe;
const runResults = (s: AppState): ShownResult[] =>
  s.resultsModel === s.recipe.model ? s.results : [];

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${fmt(100 * v, 3)} %`;

function select(s: AppState) {
  const results = runResults(s);
  if (results.length === 0) return null;
  const starved = starvedGenerations(results);
  const asked = scheduledShares(loopRecipe(s)).slice(0, results.length);
  return {
    series: [
      { summaries: asked.map(point), starved: [] },
      { summaries: effectiveShares(results, loopRecipe(s)).map(point), starved },
      { summaries: realLostShares(results).map(point), starved: [] },
    ],
    generations: s.recipe.generations,
    shown: shownGeneration(s),
  };
}

/** The figure's three series, in order (its table's columns). */
const SERIES = [
  'synthetic share asked',
  'synthetic share after the filter',
  'real points dropped',
] as const;
const mitigationTable = (data: NonNullable<ReturnType<typeof select>>) =>
  comparisonTable(data, SERIES);

function describe(s: AppState): string {
  const g = shownGeneration(s);
  const r = runResults(s)[g];
  if (!r) return 'What the mitigations did: computing.';
  return `At generation ${g}: the recipe asks for a synthetic share of ${pct(scheduledShares(loopRecipe(s))[g])}; ${pct(effectiveShares([r], loopRecipe(s))[0])} of the new points that reached training were synthetic; the filter dropped ${pct(realLostShares([r])[0])} of the new real points.`;
}

function Readout() {
  const g = useStore(shownGeneration);
  const r = useStore((s) => runResults(s)[shownGeneration(s)]);
  const recipe = useStore(loopRecipe);
  if (!r) return null;
  const m = r.mitigations;
  return (
    <dl className="readout" data-testid="mitigation-readout">
      <div>
        <dt>Synthetic share reaching training, generation {g}</dt>
        <dd>
          <span
            className="big"
            data-testid="effective-share"
            data-value={effectiveShares([r], recipe)[0] ?? ''}
          >
            {pct(effectiveShares([r], recipe)[0])}
          </span>{' '}
          <span className="sub">asked: {pct(scheduledShares(recipe)[g])}</span>
        </dd>
      </div>
      <div>
        <dt>Real points dropped by the filter</dt>
        <dd>
          <span className="big" data-testid="real-lost">
            {recipe.filter ? pct(realLostShares([r])[0]) : '–'}
          </span>{' '}
          <span className="sub">
            {m
              ? `${m.flaggedReal.toLocaleString('en')} of ${m.drawnReal.toLocaleString('en')}`
              : ''}
          </span>
        </dd>
      </div>
      <div>
        <dt>Chains starved</dt>
        <dd>
          <span className="big" data-testid="starved-chains">
            {m ? m.starved.toLocaleString('en') : 0}
          </span>{' '}
          <span className="sub">kept their previous model</span>
        </dd>
      </div>
    </dl>
  );
}

export function MitigationFigure() {
  const on = useStore((s) => hasMitigations(loopRecipe(s)));
  const ref = useChart(
    (svg) => comparisonChart(svg, { yLabel: 'share', scale: 'linear' }),
    select,
    describe,
    180,
  );
  return (
    <section
      className="mitigations"
      aria-label="What the mitigations did"
      data-testid="mitigation-figure"
      hidden={!on}
    >
      <Readout />
      <figure className="chart chart-wide">
        <figcaption>
          <strong>What reached training</strong>
          <span className="legend">
            <span className="swatch variant-0" /> synthetic share asked{' '}
            <span className="swatch variant-1" /> synthetic share after the filter{' '}
            <span className="swatch variant-2" /> real points dropped ▲ a chain starved
          </span>
        </figcaption>
        <svg ref={ref} role="img" />
        <ChartDataTable
          select={select}
          tables={mitigationTable}
          testId="mitigation-figure-table"
          title="what reached training"
        />
      </figure>
    </section>
  );
}
