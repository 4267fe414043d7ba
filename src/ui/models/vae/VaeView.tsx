// The VAE-on-MNIST view: training progress (with Cancel, ui/TrainingProgress.tsx), the digits chain 1's VAE draws at the
// shown generation beside generation 0's, a filmstrip across generations, which classes its
// samples fall in, its 2-D latent space (latent size 2), readouts and metric charts with replicate
// bands. Charts are fed from the store by subscription, not by React re-renders.
import './vae.css';
import { useEffect, useRef } from 'react';
import {
  type ClassHistogramData,
  classHistogramChart,
  classHistogramTable,
} from '../../../charts/classHistogramChart';
import { type FilmstripData, filmstripChart, filmstripTable } from '../../../charts/filmstripChart';
import {
  type LatentChartData,
  latentChart,
  latentExtent,
  latentTable,
} from '../../../charts/latentChart';
import { DIGIT_COLOURS, digitMarkerLayers, digitMarkerPath } from '../../../charts/palettes';
import { DIGIT_PIXELS as PIXELS } from '../../../core/models/vae/spec';
import type { Summary } from '../../../core/summary';
import { VAE_MEMORY_MARK } from '../../../state/marks';
import {
  type AppState,
  type ResultOf,
  resultsOf,
  shownGeneration,
  useStore,
  useStoreApi,
} from '../../../state/store';
import { BackendBadge } from '../../BackendBadge';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { stripGenerations } from '../../generationStrip';
import { MetricGrid, type MetricSpec, metricFigure } from '../../MetricFigure';
import { Readout, ReadoutItem, TrainedOn } from '../../Readout';
import { StoryFigure } from '../../StoryFigure';
import { TrainingProgress } from '../../TrainingProgress';
import { useChart } from '../../useChart';

type VaeResult = ResultOf<'vae'>;
const vae = (s: AppState) => resultsOf(s, 'vae');
const shownResult = (s: AppState) => vae(s)[shownGeneration(s)];
const NO_DIGITS = new Uint8Array(0);
const EMPTY_HISTOGRAM: number[] = new Array(10).fill(0);

/** Line width of the legend's stroked markers (×, +, ✳), in px. */
const LEGEND_STROKE = 1.8;

function DigitLegend() {
  return (
    <span className="legend digit-legend" aria-hidden="true">
      {DIGIT_COLOURS.map((c, d) => (
        <span key={c} className="digit-key">
          {/* The colour with the digit's marker shape and ink edge, as the latent scatter
              draws it (currentColor is the ink: vae.css). */}
          <svg
            className="digit-marker"
            width="12"
            height="12"
            viewBox="-6 -6 12 12"
            aria-hidden="true"
          >
            {digitMarkerLayers(d, LEGEND_STROKE).map((layer) => {
              const paint = layer.colour === 'edge' ? 'currentColor' : c;
              return (
                <path
                  key={`${layer.paint}-${layer.colour}`}
                  d={digitMarkerPath(d, 40)}
                  fill={layer.paint === 'fill' ? paint : 'none'}
                  stroke={layer.paint === 'stroke' ? paint : 'none'}
                  strokeWidth={layer.paint === 'stroke' ? layer.width : undefined}
                />
              );
            })}
          </svg>
          {d}
        </span>
      ))}
    </span>
  );
}

function describeSamples(s: AppState, which: 'shown' | 'first'): string {
  const g = which === 'shown' ? shownGeneration(s) : 0;
  const r = vae(s)[g];
  const shown = r?.chain.shown;
  if (!r || !shown) return 'Sampled digits: computing.';
  const top = shown.classHistogram
    .map((share, d) => ({ share, d }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 3)
    .map((c) => `${c.d} (${Math.round(c.share * 100)} %)`)
    .join(', ');
  return `64 digits drawn by chain 1's VAE at generation ${g}. The classifier reads its samples mostly as ${top}; class entropy ${fmt(r.stats.classEntropy?.median)} bits.`;
}

const gridOf = (r: VaeResult | undefined) => ({
  digits: r?.chain.shown?.samples ?? NO_DIGITS,
  columns: 8,
});

/** The two grids of SamplesFigure as one filmstrip of two labelled rows (for its data table). */
function selectSamplePair(s: AppState): FilmstripData | null {
  const shown = shownResult(s)?.chain.shown?.samples;
  const first = vae(s)[0]?.chain.shown?.samples;
  if (!shown || !first) return null;
  const digits = new Uint8Array(shown.length + first.length);
  digits.set(shown);
  digits.set(first, shown.length);
  return {
    digits,
    columns: shown.length / PIXELS,
    rowLabels: [`generation ${shownGeneration(s)}`, 'generation 0, trained on real digits only'],
  };
}

function SamplesFigure() {
  const shownRef = useChart(
    (c: HTMLCanvasElement) => filmstripChart(c),
    (s) => gridOf(shownResult(s)),
    (s) => describeSamples(s, 'shown'),
    0,
  );
  const firstRef = useChart(
    (c: HTMLCanvasElement) => filmstripChart(c),
    (s) => gridOf(vae(s)[0]),
    (s) => describeSamples(s, 'first'),
    0,
  );
  const g = useStore(shownGeneration);
  const training = useStore((s) => shownResult(s)?.chain.training);
  return (
    <Figure
      testId="vae-filmstrip"
      wide
      title={<>What chain 1's VAE draws at generation {g}</>}
      legend={
        training && (
          <>
            trained on {training.size.toLocaleString('en')} digits:{' '}
            {training.synthetic.toLocaleString('en')} synthetic,{' '}
            {training.real.toLocaleString('en')} real
          </>
        )
      }
      table={{
        select: selectSamplePair,
        tables: filmstripTable,
        title: "the digits chain 1's VAE draws",
      }}
    >
      <div className="vae-sample-pair">
        <div className="vae-sample-main">
          <div className="filmstrip-box">
            <canvas ref={shownRef} role="img" data-testid="vae-filmstrip-canvas" />
          </div>
          <p className="vae-sample-label">Generation {g}</p>
        </div>
        <div className="vae-sample-side">
          <div className="filmstrip-box">
            <canvas ref={firstRef} role="img" data-testid="vae-filmstrip-gen0" />
          </div>
          <p className="vae-sample-label">Generation 0, trained on real digits only</p>
        </div>
      </div>
    </Figure>
  );
}

const STRIP_ROWS = 11;
const STRIP_COLUMNS = 12;

const selectStrip = (s: AppState): FilmstripData => {
  const results = vae(s);
  if (results.length === 0) return { digits: new Uint8Array(0), columns: STRIP_COLUMNS };
  const gens = stripGenerations(shownGeneration(s), STRIP_ROWS).filter(
    (g) => results[g]?.chain.shown,
  );
  const digits = new Uint8Array(gens.length * STRIP_COLUMNS * PIXELS);
  gens.forEach((g, row) => {
    digits.set(
      (results[g].chain.shown?.samples ?? NO_DIGITS).subarray(0, STRIP_COLUMNS * PIXELS),
      row * STRIP_COLUMNS * PIXELS,
    );
  });
  return { digits, columns: STRIP_COLUMNS, rowLabels: gens.map((g) => `gen ${g}`) };
};

function GenerationsFigure() {
  const ref = useChart(
    (c: HTMLCanvasElement) => filmstripChart(c),
    selectStrip,
    (s) => {
      const gens = stripGenerations(shownGeneration(s), STRIP_ROWS).filter((g) => vae(s)[g]);
      return gens.length
        ? `Twelve digits drawn by chain 1's VAE at each of generations ${gens.join(', ')}, one row per generation.`
        : 'Digits by generation: computing.';
    },
    0,
  );
  return (
    <Figure
      testId="vae-generations"
      wide
      title="Generation by generation"
      legend="12 samples of chain 1 per row"
      table={{
        select: selectStrip,
        tables: filmstripTable,
        title: 'digits generation by generation',
      }}
    >
      <div className="filmstrip-box">
        <canvas ref={ref} role="img" data-testid="vae-generations-canvas" />
      </div>
    </Figure>
  );
}

const selectClasses = (s: AppState): ClassHistogramData | null => {
  const results = vae(s);
  if (results.length === 0) return null;
  return {
    histograms: results.map((r) => r.chain.shown?.classHistogram ?? EMPTY_HISTOGRAM),
    generations: s.recipe.generations,
    shown: shownGeneration(s),
  };
};

function ClassHistogramFigure() {
  const ref = useChart(
    classHistogramChart,
    selectClasses,
    (s) => {
      const r = shownResult(s);
      const shown = r?.chain.shown;
      if (!shown) return 'Class shares of the samples: computing.';
      const parts = shown.classHistogram.map((v, d) => `${d}: ${Math.round(v * 100)} %`).join(', ');
      return `Share of chain 1's samples the classifier reads as each digit, by generation; at generation ${shownGeneration(s)}: ${parts}.`;
    },
    240,
  );
  return (
    <Figure
      testId="vae-class-histogram"
      wide
      title="Which digits it draws"
      caption={<DigitLegend />}
      table={{ select: selectClasses, tables: classHistogramTable, title: 'which digits it draws' }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

const selectLatent = (s: AppState): LatentChartData | null => {
  const results = vae(s);
  const r = results[shownGeneration(s)];
  const first = results[0]?.chain.shown?.latent;
  const shown = r?.chain.shown;
  if (!shown?.latent || !shown.latentLabels || !first) return null;
  return { points: shown.latent, labels: shown.latentLabels, extent: latentExtent(first) };
};

function LatentFigure() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const ref = useChart(
    (svg: SVGSVGElement) => latentChart(svg, canvasRef.current as HTMLCanvasElement),
    selectLatent,
    (s) => {
      const r = shownResult(s);
      const latent = r?.chain.shown?.latent;
      return latent
        ? `Encoder means of ${latent.length / 2} real test digits in chain 1's 2-D latent space at generation ${shownGeneration(s)}, coloured by true digit, over the prior's 1σ and 2σ circles; latent spread ${fmt(r.stats.latentStd?.median)}.`
        : 'Latent space: computing.';
    },
    340,
  );
  return (
    <Figure
      testId="vae-latent"
      wide
      title="Where real digits land in chain 1's latent space"
      caption={<DigitLegend />}
      table={{
        select: selectLatent,
        tables: latentTable,
        title: 'where real digits land in the latent space',
      }}
    >
      <div className="scatter-box">
        <canvas ref={canvasRef} className="scatter-canvas" />
        <svg ref={ref} role="img" />
      </div>
    </Figure>
  );
}

export const VAE_FIGURES: MetricSpec[] = [
  metricFigure('vae', 'classEntropy'),
  metricFigure('vae', 'diversity', {
    reference: (_s, first) => {
      const ref = (first as VaeResult | undefined)?.chain.shown?.reference;
      return ref && { value: ref.diversity, label: `real: ${fmt(ref.diversity)}` };
    },
  }),
  metricFigure('vae', 'latentStd'),
  metricFigure('vae', 'heldOutElbo'),
];

function VaeReadout() {
  const r = useStore(shownResult);
  const g = useStore(shownGeneration);
  const replicates = useStore((s) => s.recipe.replicates);
  if (!r) return <Readout testId="vae-readout" />;
  const range = (s: Summary | null) =>
    replicates > 1 && s ? `5–95 %: ${fmt(s.q05)}–${fmt(s.q95)}` : '';
  const ref = r.chain.shown?.reference;
  const { classEntropy, diversity, latentStd, heldOutElbo } = r.stats;
  return (
    <Readout testId="vae-readout">
      <ReadoutItem
        label={<>Class entropy at generation {g}</>}
        value={classEntropy?.median}
        testId="vae-class-entropy"
        sub={
          <>
            bits; real digits {fmt(ref?.classEntropy)} {range(classEntropy)}
          </>
        }
      />
      <ReadoutItem
        label="Diversity"
        value={diversity?.median}
        testId="vae-diversity"
        sub={
          <>
            real digits {fmt(ref?.diversity)} {range(diversity)}
          </>
        }
      />
      <ReadoutItem
        label="Latent spread"
        value={latentStd?.median}
        testId="vae-latent-std"
        sub="std of encoder means"
      />
      <ReadoutItem
        label="ELBO on real test digits"
        value={heldOutElbo?.median}
        digits={4}
        testId="vae-elbo"
        sub="nats per digit"
      />
      <TrainedOn testId="vae-training" unit="digits" training={r.chain.training} />
    </Readout>
  );
}

/**
 * For `npm run bench`: a performance mark 'vae-memory' per generation as it arrives, its detail
 * the generation and the worker's tfjs memory after it ({ generation, numTensors, numBytes }).
 */
function useMemoryMarks() {
  const store = useStoreApi();
  useEffect(() => {
    let run = -1;
    let marked = 0;
    const markNew = (state: AppState) => {
      const results = vae(state);
      if (state.runId !== run) {
        run = state.runId;
        marked = 0;
      }
      for (; marked < results.length; marked++) {
        const { generation, chain } = results[marked];
        if (chain.shown)
          performance.mark(VAE_MEMORY_MARK, { detail: { generation, ...chain.shown.memory } });
      }
    };
    markNew(store.getState());
    return store.subscribe((state, prev) => {
      if (state.results !== prev.results || state.runId !== prev.runId) markNew(state);
    });
  }, [store]);
}

export function VaeView() {
  const latent2d = useStore((s) => s.recipe.model === 'vae' && s.recipe.latentSize === 2);
  useMemoryMarks();
  return (
    <>
      <BackendBadge />
      <TrainingProgress model="vae" prefix="vae" />
      <SamplesFigure />
      <VaeReadout />
      <GenerationsFigure />
      <ClassHistogramFigure />
      {latent2d && <LatentFigure />}
      <MetricGrid model="vae" figures={VAE_FIGURES} prefix="vae-chart-" />
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function VaeLede() {
  return (
    <>
      Train a small variational autoencoder on handwritten digits, in this tab, then train a fresh
      one on the digits it draws — and repeat. Each generation learns the last one's smooth, average
      digits and nothing rarer: the odd shapes go first, then whole digits, until every sample is
      the same blur. Move the slider to decide how much of each generation's training data is
      synthetic, and watch the variety hold or fade.
    </>
  );
}

export function VaeNotes() {
  return (
    <>
      <h2>Why the digits blur and merge</h2>
      <p>
        Each generation trains a fresh variational autoencoder from scratch, in this tab, on digits
        the previous generation drew (decoder means at the sampling temperature) mixed with real
        ones. A small VAE draws smooth, average-looking digits: the next one learns those averages
        and nothing rarer, so variety falls generation by generation — first the unusual shapes,
        then whole classes — until every sample is the same blur. The class shares come from a small
        classifier trained once on real digits and shipped with the page; the ELBO on real test
        digits measures how much of the real data the model still explains.
      </p>
    </>
  );
}

/** The story's figure: the digits generation by generation, and how many kinds are left. */
export function VaeStoryFigure() {
  return (
    <StoryFigure
      model="vae"
      trains
      figures={VAE_FIGURES}
      metric="classEntropy"
      testId="vae-chart-classEntropy"
    >
      <GenerationsFigure />
    </StoryFigure>
  );
}
