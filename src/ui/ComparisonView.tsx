// A lockstep comparison, for any model: every variant's metrics on shared axes with one legend,
// the effective synthetic share where a mitigation changes it, and a readout of each variant's
// value at the shown generation with its difference from the first variant. The model's own
// view lists which metrics to draw (MetricSpec); a model without a list gets all its metrics.
import type { ComparisonChartData } from '../charts/comparisonChart';
import { comparisonChart, comparisonTable } from '../charts/comparisonChart';
import type { LoopRecipe } from '../core/generation/types';
import { type AnyRecipe, forRecipe, type Model, specOf } from '../core/recipe';
import type { Summary } from '../core/summary';
import type { ShownResult } from '../state/guard';
import { effectiveShares, starvedGenerations } from '../state/mitigationSeries';
import { type AppState, shownGeneration, useStore } from '../state/store';
import { ChartDataTable } from './ChartDataTable';
import { fmt } from './format';
import type { MetricSpec } from './MetricFigure';
import { useChart } from './useChart';

/** A model's metrics as plain figures, for models whose view lists none. */
export function defaultMetricSpecs(model: Model): MetricSpec[] {
  return specOf(model).metrics.map((metric) => ({
    metric,
    title: metric,
    yLabel: metric,
    scale: 'linear',
  }));
}

const variantsOf = (s: AppState): ShownResult[][] =>
  s.comparison && s.resultsModel === s.recipe.model ? s.variants : [];

const variantRecipe = (s: AppState, i: number) =>
  (s.comparison?.variants[i]?.recipe ?? s.recipe) as unknown as LoopRecipe;

/** A constant "summary" of a pooled share (every quantile the same number). */
const point = (v: number | null): Summary | null =>
  v === null ? null : { mean: v, median: v, q05: v, q25: v, q75: v, q95: v };

function seriesData(
  s: AppState,
  pick: (results: ShownResult[], variant: number) => (Summary | null)[],
): Omit<ComparisonChartData, 'reference'> | null {
  const variants = variantsOf(s);
  if (!variants.some((v) => v.length > 0)) return null;
  return {
    series: variants.map((results, i) => ({
      summaries: pick(results, i),
      starved: starvedGenerations(results),
    })),
    generations: s.recipe.generations,
    shown: shownGeneration(s),
  };
}

function describe(
  s: AppState,
  title: string,
  value: (r: ShownResult, variant: number) => number | null | undefined,
) {
  const c = s.comparison;
  const g = shownGeneration(s);
  if (!c) return `${title}: no comparison.`;
  const parts = variantsOf(s).map((results, i) => {
    const r = results[g];
    return `${c.variants[i]?.label}: ${r ? fmt(value(r, i) ?? undefined) : 'computing'}`;
  });
  return `${title} at generation ${g}, median over chains, by variant. ${parts.join('; ')}.`;
}

/** The variants' names, in order (a comparison table's columns). */
const variantNames = (s: AppState) => s.comparison?.variants.map((v) => v.label) ?? [];

/** A comparison chart's table: its data with the variants' names. */
const namedTable = ({ data, names }: { data: ComparisonChartData; names: string[] }) =>
  comparisonTable(data, names);

function ComparisonFigure({ spec }: { spec: MetricSpec }) {
  const select = (s: AppState): ComparisonChartData | null => {
    const data = seriesData(s, (results) => results.map((r) => r.stats[spec.metric] ?? null));
    return data && { ...data, reference: spec.reference?.(s, variantsOf(s)[0]?.[0]) };
  };
  const ref = useChart(
    (svg) => comparisonChart(svg, { yLabel: spec.yLabel, scale: spec.scale }),
    select,
    (s) => describe(s, spec.title, (r) => r.stats[spec.metric]?.median),
    200,
  );
  return (
    <figure className="chart" data-testid={`compare-${spec.metric}`}>
      <figcaption>
        <strong>{spec.title}</strong>
        <span className="legend">median and 25–75 % of chains, per variant</span>
      </figcaption>
      <svg ref={ref} role="img" />
      <ChartDataTable
        select={(s) => {
          const data = select(s);
          return data && { data, names: variantNames(s) };
        }}
        tables={namedTable}
        testId={`compare-${spec.metric}-table`}
        title={spec.title}
      />
    </figure>
  );
}

const selectShares = (s: AppState) =>
  seriesData(s, (results, i) => effectiveShares(results, variantRecipe(s, i)).map(point));

function ShareFigure() {
  const ref = useChart(
    (svg) => comparisonChart(svg, { yLabel: 'synthetic share of new data', scale: 'linear' }),
    selectShares,
    (s) =>
      describe(
        s,
        'Synthetic share that reached training',
        (r, i) => effectiveShares([r], variantRecipe(s, i))[0],
      ),
    160,
  );
  return (
    <figure className="chart" data-testid="compare-effective-share">
      <figcaption>
        <strong>Synthetic share that reached training</strong>
        <span className="legend">
          of each generation's new points, after any filter; ▲ a chain starved
        </span>
      </figcaption>
      <svg ref={ref} role="img" />
      <ChartDataTable
        select={(s) => {
          const data = selectShares(s);
          return data && { data, names: variantNames(s) };
        }}
        tables={namedTable}
        testId="compare-effective-share-table"
        title="synthetic share that reached training"
      />
    </figure>
  );
}

function Legend() {
  const c = useStore((s) => s.comparison);
  const end = useStore((s) => s.setComparison);
  if (!c) return null;
  return (
    <div className="comparison-head">
      <p className="comparison-title">
        Comparing <strong>{c.fieldLabel}</strong>, on the same random numbers
      </p>
      <ul className="variant-legend" data-testid="comparison-legend">
        {c.variants.map((v, i) => (
          <li key={v.text}>
            <span className={`swatch variant-${i}`} aria-hidden="true" /> {v.label}
          </li>
        ))}
      </ul>
      <button type="button" data-testid="end-comparison" onClick={() => end(null)}>
        Stop comparing
      </button>
    </div>
  );
}

/** Per recipe and metric, the model's closed form per generation (recipes are immutable). */
const theoryCache = new WeakMap<object, Map<string, number[] | null>>();
function theoryAt(recipe: AnyRecipe, metric: string, g: number): number | null {
  let byMetric = theoryCache.get(recipe);
  if (!byMetric) {
    byMetric = new Map();
    theoryCache.set(recipe, byMetric);
  }
  if (!byMetric.has(metric)) {
    byMetric.set(metric, forRecipe(recipe).metricTheory?.(recipe, metric) ?? null);
  }
  const v = byMetric.get(metric)?.[g];
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/**
 * Each variant's value at the shown generation, its difference from the first, and the model's
 * closed form where it has one for that variant.
 */
function Readout({ specs }: { specs: MetricSpec[] }) {
  const c = useStore((s) => s.comparison);
  const variants = useStore(variantsOf);
  const g = useStore(shownGeneration);
  if (!c) return null;
  const shown = specs.slice(0, 3);
  const first = variants[0]?.[g];
  return (
    <table className="comparison-readout" data-testid="comparison-readout">
      <caption>
        At generation {g}: median over chains (difference from “{c.variants[0]?.label}”)
      </caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          {shown.map((m) => (
            <th scope="col" key={m.metric}>
              {m.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {c.variants.map((v, i) => {
          const r = variants[i]?.[g];
          return (
            <tr key={v.text}>
              <th scope="row">
                <span className={`swatch variant-${i}`} aria-hidden="true" /> {v.label}
              </th>
              {shown.map((m) => {
                const value = r?.stats[m.metric]?.median;
                const base = first?.stats[m.metric]?.median;
                const diff =
                  i > 0 && value !== undefined && base !== undefined ? value - base : null;
                return (
                  <td
                    key={m.metric}
                    data-testid={`readout-${i}-${m.metric}`}
                    data-value={value ?? ''}
                  >
                    {r ? fmt(value) : '…'}
                    {diff !== null && Number.isFinite(diff) && (
                      <span className="sub">
                        {' '}
                        ({diff >= 0 ? '+' : '−'}
                        {fmt(Math.abs(diff))})
                      </span>
                    )}
                    {theoryAt(v.recipe, m.metric, g) !== null && (
                      <span className="sub theory-value" data-testid={`theory-${i}-${m.metric}`}>
                        {' '}
                        theory {fmt(theoryAt(v.recipe, m.metric, g) ?? undefined)}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ComparisonView({ specs }: { specs: MetricSpec[] }) {
  const filtering = useStore(
    (s) =>
      s.comparison?.variants.some((v) => {
        const r = v.recipe as unknown as LoopRecipe;
        return r.filter !== undefined || r.syntheticSchedule !== undefined;
      }) ?? false,
  );
  return (
    <section className="comparison" aria-label="Comparison" data-testid="comparison">
      <Legend />
      <Readout specs={specs} />
      <div className="figures">
        {specs.map((spec) => (
          <ComparisonFigure key={spec.metric} spec={spec} />
        ))}
        {filtering && <ShareFigure />}
      </div>
    </section>
  );
}
