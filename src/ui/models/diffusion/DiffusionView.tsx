// The diffusion view: training progress (with Cancel), the points chain 1's DDPM draws at the
// generation the scrubber shows over the real density, a filmstrip of its samples across
// generations, readouts and metric charts with replicate bands. Charts are fed from the store by
// subscription, not by React re-renders.
import './diffusion.css';
import { useRef } from 'react';
import { type ScatterChartData, scatterChart, scatterTables } from '../../../charts/scatterChart';
import {
  type ScatterStripData,
  scatterStripChart,
  scatterStripTable,
} from '../../../charts/scatterStripChart';
import type { DiffusionDistribution } from '../../../core/models/diffusion/spec';
import { realDistribution } from '../../../core/realDistributions';
import { type AppState, resultsOf, shownGeneration, useStore } from '../../../state/store';
import { BackendBadge } from '../../BackendBadge';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { stripGenerations } from '../../generationStrip';
import { MetricGrid, type MetricSpec, metricFigure } from '../../MetricFigure';
import { Readout, ReadoutItem, TrainedOn } from '../../Readout';
import { contourLevels, EXTENTS } from '../../realDensity';
import { StoryFigure } from '../../StoryFigure';
import { TrainingProgress } from '../../TrainingProgress';
import { useChart } from '../../useChart';

const diffusion = (s: AppState) => resultsOf(s, 'diffusion');
const shownResult = (s: AppState) => diffusion(s)[shownGeneration(s)];
const distName = (s: AppState): DiffusionDistribution =>
  s.recipe.model === 'diffusion' ? s.recipe.realDistribution : 'ring8';
const NO_POINTS = new Float32Array(0);
const flagsCache = new Map<number, Uint8Array>();
/** Every point flagged as a model sample (the scatter's synthetic colour). */
const allSynthetic = (n: number) => {
  let f = flagsCache.get(n);
  if (!f) {
    f = new Uint8Array(n).fill(1);
    flagsCache.set(n, f);
  }
  return f;
};

const selectSamples = (s: AppState): ScatterChartData | null => {
  const samples = shownResult(s)?.chain.shown?.samples;
  if (!samples) return null;
  const name = distName(s);
  const real = realDistribution(name);
  return {
    model: null,
    samples,
    synthetic: allSynthetic(samples.length / 2),
    density: (p: [number, number]) => real.density(p),
    extent: EXTENTS[name],
    levels: contourLevels(name),
  };
};

function SamplesFigure() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const ref = useChart(
    (svg) => scatterChart(svg, canvasRef.current as HTMLCanvasElement),
    selectSamples,
    (s) => {
      const r = shownResult(s);
      if (!r) return 'Chain 1’s samples: computing.';
      const n = (r.chain.shown?.samples.length ?? 0) / 2;
      return `${n} points drawn by chain 1's diffusion model at generation ${shownGeneration(s)} over the real density's contours; ${fmt(r.stats.modesAlive?.median, 2)} of ${realDistribution(distName(s)).numModes} modes alive.`;
    },
    440,
  );
  const g = useStore(shownGeneration);
  const training = useStore((s) => shownResult(s)?.chain.training);
  return (
    <Figure
      testId="diffusion-scatter"
      wide
      title={<>What chain 1's diffusion model draws at generation {g}</>}
      legend={
        <>
          <span className="key key-synthetic" /> its samples <span className="key key-contour" />{' '}
          real density
          {training && (
            <>
              {' '}
              · trained on {training.size.toLocaleString('en')} points:{' '}
              {training.synthetic.toLocaleString('en')} synthetic,{' '}
              {training.real.toLocaleString('en')} real
            </>
          )}
        </>
      }
      table={{
        select: selectSamples,
        tables: scatterTables,
        title: "what chain 1's diffusion model draws",
      }}
    >
      <div className="scatter-box">
        <canvas ref={canvasRef} className="scatter-canvas" />
        <svg ref={ref} role="img" />
      </div>
    </Figure>
  );
}

const STRIP_PANELS = 8;

const selectStrip = (s: AppState): ScatterStripData | null => {
  const results = diffusion(s);
  if (results.length === 0) return null;
  const shown = shownGeneration(s);
  const name = distName(s);
  const real = realDistribution(name);
  const panels = stripGenerations(shown, STRIP_PANELS)
    .filter((g) => results[g]?.chain.shown)
    .map((g) => ({ generation: g, points: results[g].chain.shown?.samples ?? NO_POINTS }));
  return {
    panels,
    modes: real.modes,
    modeRadius: 2 * real.modeStd,
    extent: EXTENTS[name],
    shown,
  };
};

function FilmstripFigure() {
  const ref = useChart(
    scatterStripChart,
    selectStrip,
    (s) => {
      const gens = stripGenerations(shownGeneration(s), STRIP_PANELS).filter(
        (g) => diffusion(s)[g],
      );
      return gens.length
        ? `Chain 1's samples at generations ${gens.join(', ')}, one small scatter each, over rings marking the real modes.`
        : 'Samples by generation: computing.';
    },
    170,
  );
  return (
    <Figure
      testId="diffusion-filmstrip"
      wide
      title="Generation by generation"
      legend="250 samples of chain 1 per panel; rings: the real modes"
      table={{
        select: selectStrip,
        tables: scatterStripTable,
        title: 'samples generation by generation',
      }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

/** The metric figures, for the view and for lockstep comparisons. */
export const DIFFUSION_FIGURES: MetricSpec[] = [
  metricFigure('diffusion', 'modesAlive', {
    reference: (s) => {
      const n = realDistribution(distName(s)).numModes;
      return { value: n, label: `all ${n}` };
    },
  }),
  metricFigure('diffusion', 'precision'),
  metricFigure('diffusion', 'recall'),
  metricFigure('diffusion', 'w2'),
  metricFigure('diffusion', 'std', {
    reference: (s) => {
      const v = Math.sqrt(realDistribution(distName(s)).variance);
      return { value: v, label: `real ${fmt(v)}` };
    },
  }),
];

function DiffusionReadout() {
  const r = useStore(shownResult);
  const g = useStore(shownGeneration);
  const modes = useStore((s) => realDistribution(distName(s)).numModes);
  if (!r) return <Readout testId="diffusion-readout" />;
  const { modesAlive, precision, recall, w2 } = r.stats;
  return (
    <Readout testId="diffusion-readout">
      <ReadoutItem
        label={<>Modes alive at generation {g}</>}
        value={modesAlive?.median}
        digits={2}
        testId="diffusion-modes"
        sub={<>of {modes}</>}
      />
      <ReadoutItem
        label="Precision"
        value={precision?.median}
        testId="diffusion-precision"
        sub="samples near real data"
      />
      <ReadoutItem
        label="Recall"
        value={recall?.median}
        testId="diffusion-recall"
        sub="real data near samples"
      />
      <ReadoutItem label="Sliced W₂" value={w2?.median} testId="diffusion-w2" />
      <TrainedOn testId="diffusion-training" unit="points" training={r.chain.training} />
    </Readout>
  );
}

export function DiffusionView() {
  return (
    <>
      <BackendBadge />
      <TrainingProgress model="diffusion" prefix="diffusion" />
      <SamplesFigure />
      <DiffusionReadout />
      <FilmstripFigure />
      <MetricGrid model="diffusion" figures={DIFFUSION_FIGURES} prefix="diffusion-chart-" />
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function DiffusionLede() {
  return (
    <>
      Train a small diffusion model on points from the real distribution, in this tab, then train a
      fresh one on the points it draws — and repeat. Each model learns the real modes a little too
      wide and puts some mass between them; the next learns the widened modes and widens them again,
      until the modes wash out. Move the slider to decide how much of each generation's training
      data is synthetic, and watch precision fall first, then the modes.
    </>
  );
}

export function DiffusionNotes() {
  return (
    <>
      <h2>Why the modes wash out</h2>
      <p>
        Each generation trains a fresh denoising diffusion model from scratch, in this tab: a small
        network learns to predict the noise that was added to a point, at every one of the T noise
        levels, and sampling runs that prediction backwards from pure noise, step by step. A small
        model learns the real modes a little too wide and puts a little mass between them. Train the
        next model on those samples and it learns the widened modes, and widens them again:
        precision falls first, as samples land between the modes, then modes lose their share of the
        mass one by one. Image diffusion models retrained on their own pictures went the same way
        within a few generations (Martínez et al.). Keep real points in each training set and the
        modes stay. The temperature scales the noise the sampler adds at each step: below 1 it keeps
        to the likelier points.
      </p>
      <p>
        The model is Ho, Jain and Abbeel's <em>Denoising Diffusion Probabilistic Models</em> (2020)
        in miniature; the retrained image models are Martínez et al.,{' '}
        <em>
          Towards Understanding the Interplay of Generative Artificial Intelligence and the Internet
        </em>{' '}
        (2023); precision and recall are Kynkäänniemi et al.'s k-nearest-neighbour measures (2019).
      </p>
    </>
  );
}

/** The story's figure: chain 1's samples over the real density, and the real modes still covered. */
export function DiffusionStoryFigure() {
  return (
    <StoryFigure
      model="diffusion"
      trains
      figures={DIFFUSION_FIGURES}
      metric="modesAlive"
      testId="diffusion-chart-modesAlive"
    >
      <SamplesFigure />
    </StoryFigure>
  );
}
