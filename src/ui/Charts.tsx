// The four figures of the Gaussian view. React renders each container; D3 draws inside.
import { densityChart } from '../charts/densityChart';
import { histogramChart } from '../charts/histogramChart';
import { metricChart, type TheoryPoint } from '../charts/metricChart';
import { type AppState, resultsOf, shownGeneration } from '../state/store';
import { fmt } from './format';
import { useChart } from './useChart';

const gaussian = (s: AppState) => resultsOf(s, 'gaussian1d');
const hasResults = (s: AppState) => gaussian(s).length > 0;

function stdTheory(s: AppState): TheoryPoint[] | null {
  if (!s.theory) return null;
  if (s.theory.stdCurve === 'median') {
    return s.theory.points.map((p) => ({
      generation: p.generation,
      value: p.stdMedian as number,
      lo: p.stdQ05,
      hi: p.stdQ95,
    }));
  }
  return s.theory.points.map((p) => ({ generation: p.generation, value: Math.sqrt(p.variance) }));
}

const selectStd = (s: AppState) =>
  hasResults(s)
    ? {
        summaries: gaussian(s).map((r) => r.stats.std),
        generations: s.recipe.generations,
        shown: shownGeneration(s),
        theory: stdTheory(s),
      }
    : null;

const selectTail = (s: AppState) =>
  hasResults(s)
    ? {
        summaries: gaussian(s).map((r) => r.stats.tailMass),
        generations: s.recipe.generations,
        shown: shownGeneration(s),
        theory: null,
      }
    : null;

const selectDensity = (s: AppState) =>
  hasResults(s)
    ? { models: gaussian(s).map((r) => r.chain.model), shown: shownGeneration(s) }
    : null;

const selectHistogram = (s: AppState) => {
  const r = gaussian(s)[shownGeneration(s)];
  return r
    ? {
        model: r.chain.model,
        syntheticSamples: r.chain.syntheticSamples,
        realSamples: r.chain.realSamples,
      }
    : null;
};

function describeStd(s: AppState): string {
  const g = shownGeneration(s);
  const r = gaussian(s)[g];
  if (!r) return 'Standard deviation per generation: computing.';
  return `Standard deviation per generation, log scale. At generation ${g} the median over ${s.recipe.replicates} chains is ${fmt(r.stats.std.median)}, 5–95 % range ${fmt(r.stats.std.q05)} to ${fmt(r.stats.std.q95)}.`;
}
function describeTail(s: AppState): string {
  const g = shownGeneration(s);
  const r = gaussian(s)[g];
  if (!r) return 'Tail mass per generation: computing.';
  return `Probability the model puts on |x| > 1.96 (0.05 for the real distribution). At generation ${g} the median is ${fmt(r.stats.tailMass.median)}.`;
}
function describeDensity(s: AppState): string {
  const g = shownGeneration(s);
  const m = gaussian(s)[g]?.chain.model;
  if (!m) return 'Model density: computing.';
  return `Density of chain 1's model at selected generations up to ${g}, over the real N(0, 1). At generation ${g}: mean ${fmt(m.mean)}, standard deviation ${fmt(m.std)}.`;
}
function describeHistogram(s: AppState): string {
  const g = shownGeneration(s);
  const r = gaussian(s)[g];
  if (!r) return 'Training data histogram: computing.';
  const t = r.chain.training;
  return `Histogram of the ${t.size} training points of chain 1 at generation ${g}: ${t.synthetic} synthetic, ${t.real} real.`;
}

export function DensityFigure() {
  const ref = useChart(densityChart, selectDensity, describeDensity, 300);
  return (
    <figure className="chart chart-wide" data-testid="density-chart">
      <figcaption>
        <strong>The model, generation by generation</strong>
        <span className="legend">
          <span className="key key-real" /> real N(0, 1) <span className="key key-old" /> earlier
          <span className="key key-new" /> shown generation (chain 1)
        </span>
      </figcaption>
      <svg ref={ref} role="img" />
    </figure>
  );
}

export function StdFigure() {
  const ref = useChart(
    (svg) =>
      metricChart(svg, {
        yLabel: 'σ (log scale)',
        scale: 'log',
        reference: { value: 1, label: 'real σ = 1' },
      }),
    selectStd,
    describeStd,
    240,
  );
  return (
    <figure className="chart" data-testid="std-chart">
      <figcaption>
        <strong>Spread σ over generations</strong>
        <span className="legend">
          <span className="key key-median" /> median of chains <span className="key key-band" />{' '}
          5–95 %
          <span className="key key-theory" /> theory
        </span>
      </figcaption>
      <svg ref={ref} role="img" />
    </figure>
  );
}

export function TailFigure() {
  const ref = useChart(
    (svg) =>
      metricChart(svg, {
        yLabel: 'P(|x| > 1.96)',
        scale: 'linear',
        reference: { value: 0.05, label: 'real: 0.05' },
      }),
    selectTail,
    describeTail,
    240,
  );
  return (
    <figure className="chart" data-testid="tail-chart">
      <figcaption>
        <strong>Tail mass: the rare events</strong>
        <span className="legend">
          <span className="key key-median" /> median <span className="key key-band" /> 5–95 %
        </span>
      </figcaption>
      <svg ref={ref} role="img" />
    </figure>
  );
}

export function HistogramFigure() {
  const ref = useChart(histogramChart, selectHistogram, describeHistogram, 240);
  return (
    <figure className="chart" data-testid="histogram-chart">
      <figcaption>
        <strong>What chain 1 trained on</strong>
        <span className="legend">
          <span className="key key-synthetic" /> synthetic <span className="key key-realbar" /> real
          <span className="key key-model" /> fitted model
        </span>
      </figcaption>
      <svg ref={ref} role="img" />
    </figure>
  );
}
