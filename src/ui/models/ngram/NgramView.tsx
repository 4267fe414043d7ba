// The language model's view: chain 1's word frequencies on a Zipf plot, the perplexity of its own
// passages under the generation-0 model (the seed paper's histogram), one passage per generation
// after the same prompt, a readout, and metric charts with replicate bands (the Wright–Fisher
// curve on giniSimpson where it applies).
import {
  type PerplexityHistogramChartData,
  perplexityHistogramChart,
  perplexityTable,
} from '../../../charts/perplexityHistogramChart';
import {
  drawnGenerations,
  type RankFrequencyChartData,
  rankFrequencyChart,
  rankFrequencyTable,
} from '../../../charts/rankFrequencyChart';
import type { NgramShown } from '../../../core/models/ngram/family';
import { ngramTheory } from '../../../core/models/ngram/theory';
import { type AppState, resultsOf, shownGeneration, useStore } from '../../../state/store';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { MetricFigure, type MetricSpec, metricFigure } from '../../MetricFigure';
import { Readout, ReadoutItem, Spread } from '../../Readout';
import { StoryFigure } from '../../StoryFigure';
import { useChart } from '../../useChart';

const ngram = (s: AppState) => resultsOf(s, 'ngram');
const shownOf = (s: AppState, g: number) => (ngram(s)[g]?.chain.shown ?? null) as NgramShown | null;
const reference = (s: AppState) => shownOf(s, 0)?.reference;

const selectZipf = (s: AppState): RankFrequencyChartData | null => {
  const results = ngram(s);
  if (results.length === 0) return null;
  return {
    curves: results.map((r) => (r.chain.shown as NgramShown | null)?.rankFrequency ?? null),
    real: shownOf(s, 0)?.realRankFrequency ?? null,
    shown: shownGeneration(s),
  };
};

function ZipfFigure() {
  const ref = useChart(
    rankFrequencyChart,
    selectZipf,
    (s) => {
      const sh = shownOf(s, shownGeneration(s));
      return sh
        ? `Chain 1's word frequencies by rank at generation ${shownGeneration(s)}: ${sh.rankFrequency.length} words left, against the real text's.`
        : 'Zipf plot: computing.';
    },
    300,
  );
  return (
    <Figure
      testId="ngram-zipf"
      title="Word frequency by rank (Zipf's plot)"
      legend={
        <>
          <span className="key key-realbar" /> real text <span className="key key-median" /> chain
          1, earlier generations fainter
        </>
      }
      table={{ select: selectZipf, tables: rankFrequencyTable, title: 'word frequency by rank' }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

const selectPerplexity = (s: AppState): PerplexityHistogramChartData | null => {
  const results = ngram(s);
  if (results.length === 0) return null;
  return {
    generations: results.map(
      (r) => (r.chain.shown as NgramShown | null)?.passagePerplexity ?? null,
    ),
    shown: shownGeneration(s),
  };
};

function PerplexityFigure() {
  const ref = useChart(
    perplexityHistogramChart,
    selectPerplexity,
    (s) =>
      `Histogram of the perplexity of chain 1's passages under the generation-0 model, generations ${drawnGenerations(shownGeneration(s)).join(', ')}.`,
    300,
  );
  return (
    <Figure
      testId="ngram-perplexity"
      title="How the first model scores each generation's text"
      legend={
        <>
          <span className="key key-median" /> shown generation, earlier ones fainter
        </>
      }
      table={{
        select: selectPerplexity,
        tables: perplexityTable,
        title: "how the first model scores each generation's text",
      }}
    >
      <svg ref={ref} role="img" />
    </Figure>
  );
}

function Passages() {
  const shown = useStore(shownGeneration);
  const results = useStore(ngram);
  const gens =
    shown <= 9 ? Array.from({ length: shown + 1 }, (_, g) => g) : drawnGenerations(shown);
  const first = results[0]?.chain.shown as NgramShown | null | undefined;
  return (
    <Figure
      testId="ngram-passages"
      wide
      className="passages"
      title={
        <>Chain 1 continues “{first?.prompt ?? '…'}” (the same random numbers every generation)</>
      }
    >
      <ol className="passage-list">
        {gens.map((g) => {
          const sh = results[g]?.chain.shown as NgramShown | null | undefined;
          if (!sh) return null;
          return (
            <li
              key={g}
              className={g === shown ? 'passage shown' : 'passage'}
              data-testid={`ngram-passage-${g}`}
            >
              <span className="passage-generation">Generation {g}</span>{' '}
              <strong>{sh.prompt}</strong> {sh.passage}
            </li>
          );
        })}
      </ol>
    </Figure>
  );
}

export const NGRAM_FIGURES: MetricSpec[] = [
  metricFigure('ngram', 'perplexityReal'),
  metricFigure('ngram', 'perplexityBase'),
  metricFigure('ngram', 'vocabAlive'),
  metricFigure('ngram', 'tailMass', {
    reference: (s) => {
      const v = reference(s)?.tailMass;
      return v === undefined ? undefined : { value: v, label: `real ${fmt(v)}` };
    },
  }),
  metricFigure('ngram', 'giniSimpson', {
    theory: (s) => (s.recipe.model === 'ngram' ? ngramTheory(s.recipe) : null),
    theoryLabel: 'Wright–Fisher E[1 − Σp²]',
    reference: (s) => {
      const v = reference(s)?.giniSimpson;
      return v === undefined ? undefined : { value: v, label: `real ${fmt(v, 4)}` };
    },
  }),
  metricFigure('ngram', 'entropy', {
    reference: (s) => {
      const v = reference(s)?.entropy;
      return v === undefined ? undefined : { value: v, label: `real ${fmt(v)}` };
    },
  }),
  metricFigure('ngram', 'repetition'),
];

function NgramReadout() {
  const r = useStore((s) => ngram(s)[shownGeneration(s)]);
  const g = useStore(shownGeneration);
  const real = useStore((s) => reference(s));
  if (!r) return <Readout testId="ngram-readout" />;
  const { perplexityReal, vocabAlive, tailMass, repetition } = r.stats;
  return (
    <Readout testId="ngram-readout">
      <ReadoutItem
        label={<>Perplexity of real text, generation {g}</>}
        value={perplexityReal?.median}
        testId="ngram-perplexity-median"
        sub={<Spread summary={perplexityReal} />}
      />
      <ReadoutItem
        label="Words alive (median)"
        value={vocabAlive?.median}
        testId="ngram-vocab-median"
        sub={<>real text: {fmt(real?.vocabAlive)}</>}
      />
      <ReadoutItem
        label="Tail mass"
        value={tailMass?.median}
        sub={<>real: {fmt(real?.tailMass)}</>}
      />
      <ReadoutItem label="Repeated 4-grams" value={repetition?.median} sub="share per passage" />
    </Readout>
  );
}

export function NgramView() {
  return (
    <>
      <Passages />
      <NgramReadout />
      <div className="chart-grid">
        <ZipfFigure />
        <PerplexityFigure />
        {NGRAM_FIGURES.map((spec) => (
          <MetricFigure
            key={spec.metric}
            model="ngram"
            spec={spec}
            testId={`ngram-${spec.metric}`}
          />
        ))}
      </div>
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function NgramLede() {
  return (
    <>
      Count which word follows which in passages of Jane Austen, write new passages from those
      counts, count again — and repeat. A word that no passage happened to use is gone for good: the
      rare words go first, and the text drifts into loops of its commonest phrases. Move the slider
      to decide how much of each generation's training text is synthetic, and watch the vocabulary
      shrink, or hold.
    </>
  );
}

export function NgramNotes() {
  return (
    <>
      <h2>Why the text degenerates</h2>
      <p>
        Each generation counts which word follows which (n − 1) words in M passages of 64 words, and
        writes the next generation's passages by drawing word after word from those counts. A word
        that no passage happened to use is gone from the counts, and without smoothing it can never
        come back; every generation loses a few more, rarest first, so the Zipf curve's tail
        shortens and the perplexity of real text climbs. Kneser–Ney smoothing backs off to shorter
        contexts but still gives a word it never saw no probability; add-k gives every word a share,
        which keeps the vocabulary alive by writing random words: noise, not language.
      </p>
      <p>
        With one word of memory and no smoothing this is neutral genetic drift (Wright–Fisher): each
        generation resamples N = 64M words from the last one's word frequencies. Diversity measured
        as Gini–Simpson, the chance that two words drawn differ, then shrinks on average by exactly
        (1 − 1/N) per generation; the dashed curve and its band are that expectation and the exact
        spread across chains. Drift alone keeps the tail's mass on average — a rare word is as
        likely to spread as to die — so the tail thins only slowly. Decoding is what cuts it: top-k,
        top-p (nucleus) sampling and temperatures below 1 never draw the unlikely words, so each
        generation's text has fewer of them than its model, and the collapse runs much faster. That
        is why the passages turn into loops, as the seed paper's church-tower prompt turned into
        jackrabbits.
      </p>
      <p>
        Perplexities are scored with 0.1 % of the probability spread evenly over the vocabulary, so
        a word a model has forgotten costs about 16 nats instead of an infinite perplexity.
      </p>
    </>
  );
}

/** The story's figure: one passage per generation, and the word types the model can still emit. */
export function NgramStoryFigure() {
  return (
    <StoryFigure
      model="ngram"
      figures={NGRAM_FIGURES}
      metric="vocabAlive"
      testId="ngram-vocabAlive"
    >
      <Passages />
    </StoryFigure>
  );
}
