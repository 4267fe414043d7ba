// One metric of a model over generations (median, bands, theory, reference), for any model's
// view: the view lists its metrics as MetricSpecs and renders a MetricFigure for each.
import { metricChart, type TheoryPoint } from '../charts/metricChart';
import { type Model, specOf } from '../core/recipe';
import type { ShownResult } from '../state/guard';
import { starvedGenerations } from '../state/mitigationSeries';
import { type AppState, resultsOf, shownGeneration, useStore } from '../state/store';
import { Figure } from './Figure';
import { fmt } from './format';
import { useChart } from './useChart';

export interface MetricSpec {
  metric: string;
  title: string;
  yLabel: string;
  scale: 'log' | 'linear';
  /** A reference line (the real distribution's value), from the state or the first result. */
  reference?: (
    s: AppState,
    first: ShownResult | undefined,
  ) => { value: number; label: string } | undefined;
  theory?: (s: AppState) => TheoryPoint[] | null;
  /** The theory curve's name in the legend. */
  theoryLabel?: string;
}

/**
 * A metric's figure as its model's spec describes the metric (title, axis label, scale, a fixed
 * reference line), with what only the view knows: a reference line or theory curve that depends
 * on the state.
 */
export function metricFigure(
  model: Model,
  metric: string,
  own: Pick<MetricSpec, 'reference' | 'theory' | 'theoryLabel'> = {},
): MetricSpec {
  const info = specOf(model).metricInfo[metric];
  const reference = info?.reference;
  return {
    metric,
    title: info?.title ?? metric,
    yLabel: info?.label ?? metric,
    scale: info?.scale ?? 'linear',
    ...(reference && { reference: () => reference }),
    ...own,
  };
}

export function MetricFigure({
  model,
  spec,
  testId,
}: {
  model: Model;
  spec: MetricSpec;
  testId: string;
}) {
  const results = (s: AppState) => resultsOf(s, model) as ShownResult[];
  // The legend names the theory curve only while there is one for this recipe.
  const hasTheory = useStore((s) => (spec.theory?.(s)?.length ?? 0) > 0);
  const ref = useChart(
    (svg) => metricChart(svg, { yLabel: spec.yLabel, scale: spec.scale }),
    (s) => {
      const all = results(s);
      if (all.length === 0) return null;
      return {
        summaries: all.map((r) => r.stats[spec.metric] ?? null),
        generations: s.recipe.generations,
        shown: shownGeneration(s),
        theory: spec.theory?.(s) ?? null,
        reference: spec.reference?.(s, all[0]),
        starved: starvedGenerations(all),
      };
    },
    (s) => {
      const r = results(s)[shownGeneration(s)];
      return r
        ? `${spec.title}: median ${fmt(r.stats[spec.metric]?.median)} (${spec.yLabel}) at generation ${shownGeneration(s)}, over ${s.recipe.replicates} chains.`
        : `${spec.title}: computing.`;
    },
    200,
  );
  return (
    <Figure
      testId={testId}
      title={spec.title}
      legend={
        <>
          <span className="key key-median" /> median <span className="key key-band" /> 5–95 %
          {hasTheory && (
            <>
              <span className="key key-theory" /> {spec.theoryLabel ?? 'theory'}
            </>
          )}
        </>
      }
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

/** A model's metric figures in a grid, each with the test id `${prefix}${metric}`. */
export function MetricGrid({
  model,
  figures,
  prefix,
}: {
  model: Model;
  figures: readonly MetricSpec[];
  prefix: string;
}) {
  return (
    <div className="chart-grid">
      {figures.map((spec) => (
        <MetricFigure
          key={spec.metric}
          model={model}
          spec={spec}
          testId={`${prefix}${spec.metric}`}
        />
      ))}
    </div>
  );
}
