// The transformer's view, the seed paper's experiment in miniature: training progress (with an
// ETA and Cancel) and the backend, chain 1's continuation of the opening of Pride and Prejudice
// at every generation so far, the paper's histogram (the perplexity of each generation's own
// passages under the generation-0 model), a readout, and a metric chart per metric with the real
// text's values as reference lines. Charts are fed from the store by subscription; the guard
// (state/guard.ts) has already turned a NaN metric into null and a non-finite shown into null, and
// the charts and readouts print '–' for those.
import {
  type PerplexityHistogramChartData,
  perplexityHistogramChart,
  perplexityTable,
} from '../../../charts/perplexityHistogramChart';
import { drawnGenerations } from '../../../charts/rankFrequencyChart';
import type { TransformerReference } from '../../../core/models/transformer/shown';
import { type AppState, resultsOf, shownGeneration, useStore } from '../../../state/store';
import { BackendBadge } from '../../BackendBadge';
import { Figure } from '../../Figure';
import { fmt } from '../../format';
import { MetricFigure, type MetricSpec, metricFigure } from '../../MetricFigure';
import { Readout, ReadoutItem, Spread, TrainedOn } from '../../Readout';
import { StoryFigure } from '../../StoryFigure';
import { TrainingProgress } from '../../TrainingProgress';
import { useChart } from '../../useChart';

const transformer = (s: AppState) => resultsOf(s, 'transformer');
const shownOf = (s: AppState, g: number) => transformer(s)[g]?.chain.shown ?? null;

/** The real text's values (the same every generation): the first generation that has them. */
function reference(s: AppState): TransformerReference | undefined {
  for (const r of transformer(s)) if (r.chain.shown) return r.chain.shown.reference;
  return undefined;
}

/** A reference line at the real text's value of `metric`, when it is a finite number. */
const realLine =
  (metric: keyof TransformerReference, digits = 3) =>
  (s: AppState) => {
    const v = reference(s)?.[metric];
    return v === undefined || !Number.isFinite(v)
      ? undefined
      : { value: v, label: `real ${fmt(v, digits)}` };
  };

const selectPerplexity = (s: AppState): PerplexityHistogramChartData | null => {
  const results = transformer(s);
  if (results.length === 0) return null;
  return {
    // A generation whose shown the guard dropped (a non-finite number in it) draws no outline.
    generations: results.map((r) => r.chain.shown?.passagePerplexity ?? null),
    shown: shownGeneration(s),
  };
};

function describePerplexity(s: AppState): string {
  const g = shownGeneration(s);
  const values = Array.from(shownOf(s, g)?.passagePerplexity ?? []).filter(
    (v) => Number.isFinite(v) && v > 0,
  );
  if (values.length === 0) return 'Perplexity of its own passages: computing.';
  const sorted = values.sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `Histogram of the perplexity of chain 1's passages under the generation-0 model, generations ${drawnGenerations(g).join(', ')}; at generation ${g}, ${sorted.length} passages, median ${fmt(median)}.`;
}

function PerplexityFigure() {
  const ref = useChart(perplexityHistogramChart, selectPerplexity, describePerplexity, 300);
  return (
    <Figure
      testId="transformer-perplexity"
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

/** The generations the panel lists: every one up to the shown one, or a spread of them past 9. */
const panelGenerations = (shown: number) =>
  shown <= 9 ? Array.from({ length: shown + 1 }, (_, g) => g) : drawnGenerations(shown);

function Passages() {
  const shown = useStore(shownGeneration);
  const results = useStore(transformer);
  const prompt = results.find((r) => r.chain.shown)?.chain.shown?.prompt;
  return (
    <Figure
      testId="transformer-passages"
      wide
      className="passages"
      title={
        <>
          Chain 1 continues “{prompt ?? '…'}” (the same random numbers every generation: only the
          model changes)
        </>
      }
    >
      <ol className="passage-list">
        {panelGenerations(shown).map((g) => {
          const sh = results[g]?.chain.shown;
          if (!sh) return null;
          return (
            <li
              key={g}
              className={g === shown ? 'passage shown' : 'passage'}
              aria-current={g === shown ? 'true' : undefined}
              data-testid={`transformer-passage-${g}`}
            >
              <span className="passage-generation">Generation {g}</span>{' '}
              <strong>{sh.prompt}</strong>
              {sh.passage}
            </li>
          );
        })}
      </ol>
    </Figure>
  );
}

export const TRANSFORMER_FIGURES: MetricSpec[] = [
  metricFigure('transformer', 'perplexityReal'),
  metricFigure('transformer', 'perplexityBase'),
  metricFigure('transformer', 'vocabAlive', { reference: realLine('vocabAlive') }),
  metricFigure('transformer', 'distinct2', { reference: realLine('distinct2') }),
  metricFigure('transformer', 'repetition', { reference: realLine('repetition') }),
  metricFigure('transformer', 'entropy', { reference: realLine('entropy') }),
];

function TransformerReadout() {
  const r = useStore((s) => transformer(s)[shownGeneration(s)]);
  const g = useStore(shownGeneration);
  const real = useStore(reference);
  if (!r) return <Readout testId="transformer-readout" />;
  const { perplexityReal, perplexityBase, distinct2, repetition } = r.stats;
  return (
    <Readout testId="transformer-readout">
      <ReadoutItem
        label={<>Perplexity of real text, generation {g}</>}
        value={perplexityReal?.median}
        testId="transformer-perplexity-median"
        sub={<Spread summary={perplexityReal} />}
      />
      <ReadoutItem
        label="Its own text, scored by generation 0"
        value={perplexityBase?.median}
        testId="transformer-perplexity-base-median"
        sub="perplexity per token"
      />
      <ReadoutItem
        label="Distinct word pairs"
        value={distinct2?.median}
        testId="transformer-distinct2-median"
        sub={<>real text: {fmt(real?.distinct2)}</>}
      />
      <ReadoutItem
        label="Repeated 4-grams"
        value={repetition?.median}
        testId="transformer-repetition-median"
        sub={<>share per passage; real: {fmt(real?.repetition)}</>}
      />
      <TrainedOn testId="transformer-training" unit="passages" training={r.chain.training} />
    </Readout>
  );
}

export function TransformerView() {
  return (
    <>
      <BackendBadge />
      <TrainingProgress model="transformer" prefix="transformer" />
      <Passages />
      <TransformerReadout />
      <div className="chart-grid">
        <PerplexityFigure />
        {TRANSFORMER_FIGURES.map((spec) => (
          <MetricFigure
            key={spec.metric}
            model="transformer"
            spec={spec}
            testId={`transformer-${spec.metric}`}
          />
        ))}
      </div>
    </>
  );
}

/** The lab's introduction under its title while this tab is open (Lab.tsx sets it in a paragraph). */
export function TransformerLede() {
  return (
    <>
      Take a small GPT that has read four of Jane Austen's novels, fine-tune it on passages of
      another, let it write passages of its own, and fine-tune the same starting model again on what
      it wrote — and repeat, in this tab. This is the seed paper's experiment in miniature: the text
      grows likelier and duller, and slides into loops. Move the slider to decide how much of each
      generation's training text is synthetic, and watch its words narrow, or hold.
    </>
  );
}

export function TransformerNotes() {
  return (
    <>
      <h2>The paper's experiment, in miniature</h2>
      <p>
        Shumailov and colleagues took a pretrained language model (OPT-125m), fine-tuned it on
        wikitext-2, and had it write a new training set; the next generation fine-tuned the same
        pretrained model on that text, and so on for nine generations. Here the pretrained model is
        a small GPT (three layers of width 96, a context of 64 byte-pair tokens, about 440,000
        weights), pretrained once on four other Austen novels (by scripts/pretrain-transformer.ts)
        and shipped with the page. Each generation fine-tunes that base again, from scratch, on M
        passages of 64 tokens: real passages of Pride and Prejudice and Persuasion, mixed with
        passages the previous generation wrote after prompts of real text, in the proportion the
        synthetic share sets. Nothing is carried from one generation to the next but the text.
      </p>
      <p>
        What to look for: with only synthetic text, the passages after the same prompt grow more
        probable and more alike, and by generation 9 they repeat themselves — the same phrases over
        and over, rare words gone. Keep 10 % real text (the paper's second setting) and the drift is
        much smaller. The paper's histogram shows it too: scored by the generation-0 model, each
        generation's passages move to lower perplexity (likelier, blander text), while a tail of
        high-perplexity passages — errors the first model would never make — grows.
      </p>
      <p>
        The metrics: <strong>perplexity of held-out real text</strong> (how well the model still
        predicts Austen; it rises as the model forgets);{' '}
        <strong>its own text scored by the first model</strong> (the paper's judge);{' '}
        <strong>words still alive</strong> (distinct words over the passages it writes);{' '}
        <strong>distinct-2</strong> (distinct word pairs over all pairs: 1 when no pair repeats,
        small when the text loops); <strong>repetition</strong> (the share of a passage's 4-grams
        that repeat an earlier one of the same passage); and the <strong>entropy</strong> of its
        word frequencies, in bits. The dashed lines are the real text's values, scored the same way.
      </p>
    </>
  );
}

/** The story's figure: training progress, one passage per generation, and distinct-2. */
export function TransformerStoryFigure() {
  return (
    <StoryFigure
      model="transformer"
      trains
      figures={TRANSFORMER_FIGURES}
      metric="distinct2"
      testId="transformer-distinct2"
    >
      <Passages />
    </StoryFigure>
  );
}
