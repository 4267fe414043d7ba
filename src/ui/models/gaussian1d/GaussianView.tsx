// The 1-D Gaussian's view: four figures (React renders each container; D3 draws inside), the
// readout at the shown generation, and the article's note on why it collapses.
import { densityChart, densityTable } from '../../../charts/densityChart';
import { histogramChart, histogramTable } from '../../../charts/histogramChart';
import { metricChart, type TheoryPoint } from '../../../charts/metricChart';
import { gaussianSpec } from '../../../core/models/gaussian1d/spec';
import {
  type GaussianTheory,
  gaussianTheory,
  stationaryVariance,
} from '../../../core/models/gaussian1d/theory';
import { starvedGenerations } from '../../../state/mitigationSeries';
import { type AppState, resultsOf, shownGeneration, useStore } from '../../../state/store';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { type MetricSpec, metricFigure } from '../../MetricFigure';
import { usePrerendered } from '../../prerendered';
import { splitByOrigin } from '../../trainingSample';
import { useChart } from '../../useChart';

const gaussian = (s: AppState) => resultsOf(s, 'gaussian1d');
const hasResults = (s: AppState) => gaussian(s).length > 0;

/** The closed-form theory of the recipe on screen (recipes are immutable: computed once each). */
const theories = new WeakMap<object, GaussianTheory | null>();
function theoryOf(s: AppState): GaussianTheory | null {
  const r = s.recipe;
  if (r.model !== 'gaussian1d') return null;
  let t = theories.get(r);
  if (t === undefined) {
    t = gaussianTheory(r);
    theories.set(r, t);
  }
  return t;
}

function stdTheory(s: AppState): TheoryPoint[] | null {
  const theory = theoryOf(s);
  if (!theory) return null;
  if (theory.stdCurve === 'median') {
    return theory.points.map((p) => ({
      generation: p.generation,
      value: p.stdMedian as number,
      lo: p.stdQ05,
      hi: p.stdQ95,
    }));
  }
  return theory.points.map((p) => ({ generation: p.generation, value: Math.sqrt(p.variance) }));
}

const selectStd = (s: AppState) =>
  hasResults(s)
    ? {
        summaries: gaussian(s).map((r) => r.stats.std),
        generations: s.recipe.generations,
        shown: shownGeneration(s),
        theory: stdTheory(s),
        starved: starvedGenerations(gaussian(s)),
      }
    : null;

const selectTail = (s: AppState) =>
  hasResults(s)
    ? {
        summaries: gaussian(s).map((r) => r.stats.tailMass),
        generations: s.recipe.generations,
        shown: shownGeneration(s),
        theory: null,
        starved: starvedGenerations(gaussian(s)),
      }
    : null;

/** What a comparison of Gaussian variants draws (ComparisonView). */
export const GAUSSIAN_FIGURES: MetricSpec[] = [
  metricFigure('gaussian1d', 'std'),
  metricFigure('gaussian1d', 'tailMass'),
  metricFigure('gaussian1d', 'w2'),
];

const selectDensity = (s: AppState) =>
  hasResults(s)
    ? { models: gaussian(s).map((r) => r.chain.shown?.model ?? null), shown: shownGeneration(s) }
    : null;

const selectHistogram = (s: AppState) => {
  const r = gaussian(s)[shownGeneration(s)];
  const model = r?.chain.shown?.model;
  return model && r.chain.sample ? { model, ...splitByOrigin(r.chain.sample) } : null;
};

function describeStd(s: AppState): string {
  const g = shownGeneration(s);
  const r = gaussian(s)[g];
  const std = r?.stats.std;
  if (!std) return 'Standard deviation per generation: computing.';
  return `Standard deviation per generation, log scale. At generation ${g} the median over ${s.recipe.replicates} chains is ${fmt(std.median)}, 5–95 % range ${fmt(std.q05)} to ${fmt(std.q95)}.`;
}
function describeTail(s: AppState): string {
  const g = shownGeneration(s);
  const r = gaussian(s)[g];
  if (!r) return 'Tail mass per generation: computing.';
  return `Probability the model puts on |x| > 1.96 (0.05 for the real distribution). At generation ${g} the median is ${fmt(r.stats.tailMass?.median)}.`;
}
function describeDensity(s: AppState): string {
  const g = shownGeneration(s);
  const m = gaussian(s)[g]?.chain.shown?.model;
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

/** The density chart's parts, shared with the build that draws the story's first frame. */
export const DENSITY_CHART = {
  create: densityChart,
  select: selectDensity,
  describe: describeDensity,
  height: 300,
} as const;

function DensityFigure() {
  const { create, select, describe, height } = DENSITY_CHART;
  const ref = useChart(create, select, describe, height);
  const drawn = usePrerendered('density');
  return (
    <Figure
      testId="density-chart"
      wide
      title="The model, generation by generation"
      legend={
        <>
          <span className="key key-real" /> real N(0, 1) <span className="key key-old" /> earlier
          <span className="key key-new" /> shown generation (chain 1)
        </>
      }
      table={{ select, tables: densityTable, title: 'the model, generation by generation' }}
    >
      <svg ref={ref} role="img" {...drawn} />
    </Figure>
  );
}

/** The spec's description of the Gaussian's metrics (axis labels, scales, reference lines). */
const METRICS = gaussianSpec.metricInfo;

function StdFigure() {
  const ref = useChart(
    (svg) =>
      metricChart(svg, {
        yLabel: METRICS.std.label,
        scale: METRICS.std.scale,
        reference: METRICS.std.reference,
      }),
    selectStd,
    describeStd,
    240,
  );
  return (
    <Figure
      testId="std-chart"
      title="Spread σ over generations"
      legend={
        <>
          <span className="key key-median" /> median of chains <span className="key key-band" />{' '}
          5–95 %
          <span className="key key-theory" /> theory
        </>
      }
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

function TailFigure() {
  const ref = useChart(
    (svg) =>
      metricChart(svg, {
        yLabel: METRICS.tailMass.label,
        scale: METRICS.tailMass.scale,
        reference: METRICS.tailMass.reference,
      }),
    selectTail,
    describeTail,
    240,
  );
  return (
    <Figure
      testId="tail-chart"
      title="Tail mass: the rare events"
      legend={
        <>
          <span className="key key-median" /> median <span className="key key-band" /> 5–95 %
        </>
      }
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

function HistogramFigure() {
  const ref = useChart(histogramChart, selectHistogram, describeHistogram, 240);
  return (
    <Figure
      testId="histogram-chart"
      title="What chain 1 trained on"
      legend={
        <>
          <span className="key key-synthetic" /> synthetic <span className="key key-realbar" /> real
          <span className="key key-model" /> fitted model
        </>
      }
      table={{ select: selectHistogram, tables: histogramTable, title: 'what chain 1 trained on' }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

/**
 * Where σ settles, when it does: the fixed point of the exact moment recursion (replace, fresh
 * real data, a constant share; a filter's effective share enters it), √E[σ²]*.
 */
const stationaryStd = (s: AppState): number | null => {
  const r = s.recipe;
  if (r.model !== 'gaussian1d' || r.regime !== 'replace' || r.realData !== 'fresh') return null;
  if (r.syntheticSchedule || r.curation) return null;
  const v = stationaryVariance(r);
  return v ? Math.sqrt(v.variance) : null;
};

function Readout() {
  const settles = useStore(stationaryStd);
  const g = useStore(shownGeneration);
  const r = useStore((s) => resultsOf(s, 'gaussian1d')[shownGeneration(s)]);
  const theory = useStore((s) => theoryOf(s)?.points[shownGeneration(s)]);
  const curve = useStore((s) => theoryOf(s)?.stdCurve);
  const replicates = useStore((s) => s.recipe.replicates);
  if (!r) return <div className="readout" aria-busy="true" />;
  const t = r.chain.training;
  const theoryStd = theory
    ? curve === 'median'
      ? theory.stdMedian
      : Math.sqrt(theory.variance)
    : undefined;
  return (
    <dl className="readout" data-testid="readout">
      <div>
        <dt>Median σ at generation {g}</dt>
        <dd>
          <span className="big" data-testid="std-median">
            {fmt(r.stats.std?.median)}
          </span>{' '}
          <span className="sub">
            5–95 %: {fmt(r.stats.std?.q05)}–{fmt(r.stats.std?.q95)} over {replicates} chains
          </span>
        </dd>
      </div>
      <div>
        <dt>{curve === 'median' ? 'Theory: median σ' : 'Theory: √E[σ²]'}</dt>
        <dd>
          <span className="big" data-testid="std-theory">
            {fmt(theoryStd)}
          </span>
        </dd>
      </div>
      {settles !== null && (
        <div>
          <dt>Theory: where σ settles, √E[σ²]*</dt>
          <dd>
            <span className="big" data-testid="std-stationary">
              {fmt(settles)}
            </span>{' '}
            <span className="sub">the recursion's fixed point</span>
          </dd>
        </div>
      )}
      <div>
        <dt>Tail mass P(|x| &gt; 1.96)</dt>
        <dd>
          <span className="big" data-testid="tail-median">
            {fmt(r.stats.tailMass?.median)}
          </span>{' '}
          <span className="sub">real: 0.050</span>
        </dd>
      </div>
      <div>
        <dt>Chain 1 trained on</dt>
        <dd>
          <span className="sub">
            {t.size.toLocaleString('en')} points: {t.synthetic.toLocaleString('en')} synthetic,{' '}
            {t.real.toLocaleString('en')} real
          </span>
        </dd>
      </div>
    </dl>
  );
}

export function GaussianView() {
  return (
    <>
      <DensityFigure />
      <Readout />
      <div className="chart-grid">
        <StdFigure />
        <TailFigure />
      </div>
      <HistogramFigure />
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function GaussianLede() {
  return (
    <>
      Fit a bell curve to 100 points, draw 100 new points from the fit, fit again — and repeat. Each
      refit loses a little of the spread, and the losses compound: the tails go first, then the
      curve narrows to a spike. Move the slider to decide how much of each generation's training
      data is synthetic, and watch the collapse speed up, slow down, or stop.
    </>
  );
}

export function GaussianNotes() {
  return (
    <>
      <h2>Why the curve collapses</h2>
      <p>
        Each generation fits a mean and a variance to M points drawn from the previous fit. With the
        maximum-likelihood estimate the new variance is the old one times χ²<sub>M−1</sub>/M, so on
        average it shrinks by a factor (M−1)/M per generation. Dividing by M−1 instead keeps the
        average variance at 1, yet the typical run still collapses: the product of many random
        factors drifts to zero almost surely, while a rare few runs blow up and hold the average up.
        The dashed theory curve shows the median σ (a log-normal approximation to that product) or,
        where fresh real data is mixed in, √E[σ²] from an exact recursion of the first two moments.
      </p>
    </>
  );
}

/** The story's figure: chain 1's curve and the spread over generations, side by side. */
export function GaussianStoryFigure() {
  return (
    <div className="story-figure-grid">
      <DensityFigure />
      <StdFigure />
    </div>
  );
}

/** The story's opening figure: chain 1's curve narrowing, generation by generation. */
export function GaussianOpeningFigure() {
  return <DensityFigure />;
}
