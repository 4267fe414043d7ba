// The Gaussian-mixture view: chain 1's points and fitted components (2-D scatter, or a ridgeline
// in 1-D), the backend badge, readouts and metric charts with replicate bands.
import { useRef } from 'react';
import type { TheoryPoint } from '../../../charts/metricChart';
import {
  type RidgelineChartData,
  ridgelineChart,
  ridgelineTable,
} from '../../../charts/ridgelineChart';
import { type ScatterChartData, scatterChart, scatterTables } from '../../../charts/scatterChart';
import type { RealDistribution as RealDistributionName } from '../../../core/models/gmm/spec';
import { gmmTheoryUnavailable, gmmTotalVarianceTheory } from '../../../core/models/gmm/theory';
import { realDistribution } from '../../../core/realDistributions';
import { type AppState, resultsOf, shownGeneration, useStore } from '../../../state/store';
import { BackendBadge } from '../../BackendBadge';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { MetricGrid, type MetricSpec, metricFigure } from '../../MetricFigure';
import { Readout, ReadoutItem, Spread } from '../../Readout';
import { contourLevels, EXTENTS } from '../../realDensity';
import { StoryFigure } from '../../StoryFigure';
import { syntheticFlags } from '../../trainingSample';
import { useChart } from '../../useChart';

const gmm = (s: AppState) => resultsOf(s, 'gmm');
const distDims = (s: AppState) => (s.recipe.model === 'gmm' ? s.recipe.dimensions : 2);
const distName = (s: AppState) =>
  (s.recipe.model === 'gmm' ? s.recipe.realDistribution : 'gaussian2d') as RealDistributionName;

const selectScatter = (s: AppState): ScatterChartData | null => {
  const r = gmm(s)[shownGeneration(s)];
  const model = r?.chain.shown?.model;
  const sample = r?.chain.sample;
  if (model?.d !== 2 || !sample) return null;
  const name = distName(s);
  const real = realDistribution(name);
  return {
    model,
    samples: sample.values,
    synthetic: syntheticFlags(sample),
    density: (p: [number, number]) => real.density(p),
    extent: EXTENTS[name],
    levels: contourLevels(name),
  };
};

function ScatterFigure() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const ref = useChart(
    (svg) => scatterChart(svg, canvasRef.current as HTMLCanvasElement),
    selectScatter,
    (s) => {
      const r = gmm(s)[shownGeneration(s)];
      if (!r) return 'Chain 1 scatter: computing.';
      const t = r.chain.training;
      return `Chain 1's ${t.size} training points at generation ${shownGeneration(s)} (${t.synthetic} synthetic) with its ${r.chain.shown?.model.k ?? 'no finite'} fitted components' 1σ and 2σ ellipses over the real density's contours.`;
    },
    440,
  );
  return (
    <Figure
      testId="gmm-scatter"
      wide
      title="What chain 1 trained on, and what it fitted"
      legend={
        <>
          <span className="key key-synthetic" /> synthetic <span className="key key-realbar" /> real
          <span className="key key-model" /> components (1σ, 2σ){' '}
          <span className="key key-contour" /> real density
        </>
      }
      table={{
        select: selectScatter,
        tables: scatterTables,
        title: 'what chain 1 trained on, and what it fitted',
      }}
    >
      <div className="scatter-box">
        <canvas ref={canvasRef} className="scatter-canvas" />
        <svg ref={ref} role="img" />
      </div>
    </Figure>
  );
}

const selectRidgeline = (s: AppState): RidgelineChartData | null => {
  const results = gmm(s);
  if (results.length === 0 || distDims(s) !== 1) return null;
  const name = distName(s);
  return {
    models: results.map((r) => r.chain.shown?.model ?? null),
    real: realDistribution(name).mixture,
    shown: shownGeneration(s),
    extent: EXTENTS[name],
  };
};

function RidgelineFigure() {
  const ref = useChart(
    ridgelineChart,
    selectRidgeline,
    (s) =>
      `Chain 1's fitted density at selected generations up to ${shownGeneration(s)}, below the real density.`,
    360,
  );
  return (
    <Figure
      testId="gmm-ridgeline"
      wide
      title="Chain 1's mixture, generation by generation"
      table={{
        select: selectRidgeline,
        tables: ridgelineTable,
        title: "chain 1's mixture, generation by generation",
      }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

/**
 * √E[σ²] of the whole mixture under refitting (src/core/models/gmm/theory.ts): the M-step keeps the
 * mixture's total covariance equal to the training data's sample covariance plus regCovar.
 */
function mixtureStdTheory(s: AppState): TheoryPoint[] | null {
  const r = s.recipe;
  if (r.model !== 'gmm' || gmmTheoryUnavailable(r)) return null;
  const ns = Math.round(r.samplesPerGeneration * r.syntheticFraction);
  const v = gmmTotalVarianceTheory(
    r.samplesPerGeneration,
    r.generations,
    realDistribution(r.realDistribution).variance,
    r.regCovar,
    ns,
  );
  return Array.from(v, (value, generation) => ({ generation, value: Math.sqrt(value) }));
}

export const GMM_FIGURES: MetricSpec[] = [
  metricFigure('gmm', 'std', {
    theory: mixtureStdTheory,
    theoryLabel: 'theory √E[σ²]',
    reference: (s) => {
      const v = Math.sqrt(realDistribution(distName(s)).variance);
      return { value: v, label: `real ${fmt(v)}` };
    },
  }),
  metricFigure('gmm', 'componentStd'),
  metricFigure('gmm', 'modesAlive', {
    reference: (s) => {
      const n = realDistribution(distName(s)).numModes;
      return { value: n, label: `all ${n}` };
    },
  }),
  metricFigure('gmm', 'tailMass'),
  metricFigure('gmm', 'logLikReal'),
  metricFigure('gmm', 'w2'),
];

function GmmReadout() {
  const r = useStore((s) => gmm(s)[shownGeneration(s)]);
  const g = useStore(shownGeneration);
  const modes = useStore((s) => realDistribution(distName(s)).numModes);
  if (!r) return <Readout testId="gmm-readout" />;
  const { std, modesAlive, tailMass, logLikReal } = r.stats;
  return (
    <Readout testId="gmm-readout">
      <ReadoutItem
        label={<>Median σ at generation {g}</>}
        value={std?.median}
        testId="gmm-std-median"
        sub={<Spread summary={std} />}
      />
      <ReadoutItem
        label="Modes alive (median)"
        value={modesAlive?.median}
        digits={2}
        testId="gmm-modes-median"
        sub={<>of {modes}</>}
      />
      <ReadoutItem label="Tail mass" value={tailMass?.median} sub="real: 0.050" />
      <ReadoutItem
        label="Log-likelihood of real data"
        value={logLikReal?.median}
        sub="nats per point"
      />
    </Readout>
  );
}

export function GmmView() {
  const dims = useStore(distDims);
  return (
    <>
      <BackendBadge />
      {dims === 2 ? <ScatterFigure key="scatter" /> : <RidgelineFigure key="ridge" />}
      <GmmReadout />
      <MetricGrid model="gmm" figures={GMM_FIGURES} prefix="gmm-" />
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function GmmLede() {
  return (
    <>
      Fit a mixture of Gaussians to points from the real distribution, draw new points from the fit,
      fit again — and repeat. The mixture loses spread as the bell curve does, and where the real
      data has many modes, a mode that draws few points in one generation gets less weight in the
      next; once it is gone, nothing brings it back. Move the slider to decide how much of each
      generation's training data is synthetic, and count the modes that survive.
    </>
  );
}

export function GmmNotes() {
  return (
    <>
      <h2>Why the mixture collapses</h2>
      <p>
        Each generation fits a mixture of K Gaussians by EM to M points drawn from the previous
        mixture. After every M-step the fitted mixture's overall mean and total covariance equal the
        training sample's mean and maximum-likelihood covariance (plus the small regularisation
        added to each component), so the whole mixture loses spread exactly like the single
        Gaussian: on average a factor (M−1)/M per generation. The dashed curve on the spread chart
        is that prediction, √E[σ²]. Inside the mixture the components shrink faster still and drift;
        a mode that draws few samples in one generation can be lost for good, which is how the 25
        modes of the grid die one by one.
      </p>
    </>
  );
}

/** The story's figure: chain 1's points and components, and the real modes still covered. */
export function GmmStoryFigure() {
  const dims = useStore(distDims);
  return (
    <StoryFigure model="gmm" figures={GMM_FIGURES} metric="modesAlive" testId="gmm-modesAlive">
      {dims === 2 ? <ScatterFigure key="scatter" /> : <RidgelineFigure key="ridge" />}
    </StoryFigure>
  );
}
