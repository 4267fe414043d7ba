// The explorable's page: the story's opening, the lab (controls, playback, figures), and the
// theory and sources behind it.
import { lazy, Suspense } from 'react';
import { useStore } from '../state/store';
import { DensityFigure, HistogramFigure, StdFigure, TailFigure } from './Charts';
import { Controls, ModelTabs } from './Controls';
import { Messages, Readout, RunStatus } from './Readout';
import { Transport } from './Transport';

// The model views load with their first use: the first screen (the Gaussian) needs neither.
const GmmView = lazy(() => import('./GmmView').then((m) => ({ default: m.GmmView })));
const VaeView = lazy(() => import('./VaeView').then((m) => ({ default: m.VaeView })));

function GaussianView() {
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

function GaussianNotes() {
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

function GmmNotes() {
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

function VaeNotes() {
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

export function App() {
  const model = useStore((s) => s.recipe.model);
  return (
    <>
      <header className="masthead">
        <p className="kicker">Collapse Lab</p>
        <h1>What happens when a model learns from its own output?</h1>
        <p className="lede">
          Fit a bell curve to 100 points, draw 100 new points from the fit, fit again — and repeat.
          Each refit loses a little of the spread, and the losses compound: the tails go first, then
          the curve narrows to a spike. Move the slider to decide how much of each generation's
          training data is synthetic, and watch the collapse speed up, slow down, or stop.
        </p>
      </header>
      <main className="lab">
        <ModelTabs />
        <Messages />
        <section className="panel" aria-label="Settings">
          <Controls />
        </section>
        <section className="stage" aria-label="Results">
          <Transport />
          {model === 'gaussian1d' && <GaussianView />}
          <Suspense fallback={<p className="run-status">Loading the view…</p>}>
            {model === 'gmm' && <GmmView />}
            {model === 'vae' && <VaeView onCancel={() => useStore.getState().requestCancel()} />}
          </Suspense>
          <RunStatus />
        </section>
      </main>
      <article className="notes">
        {model === 'gaussian1d' && <GaussianNotes />}
        {model === 'gmm' && <GmmNotes />}
        {model === 'vae' && <VaeNotes />}
        <p>
          Keeping a share of fresh real data in every generation bounds the variance away from zero;
          accumulating all data instead of replacing it keeps the error bounded too. Try them with
          the settings on the left.
        </p>
        <h2>Sources</h2>
        <ul className="refs">
          <li>
            Shumailov, Shumaylov, Zhao, Gal, Papernot, Anderson.{' '}
            <em>The Curse of Recursion: Training on Generated Data Makes Models Forget</em> (2023);
            in Nature (2024) as{' '}
            <em>AI models collapse when trained on recursively generated data</em>.
          </li>
          <li>
            Alemohammad et al. <em>Self-Consuming Generative Models Go MAD</em> (2023): sampling
            bias λ &lt; 1 and the fresh-data loop.
          </li>
          <li>
            Gerstgrasser et al.{' '}
            <em>
              Is Model Collapse Inevitable? Breaking the Curse of Recursion by Accumulating Real and
              Synthetic Data
            </em>{' '}
            (2024).
          </li>
        </ul>
        <p className="keys">
          Keyboard: <kbd>Space</kbd> play or pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd>{' '}
          back to generation 0. The address bar always holds the whole experiment: copy it to share.
        </p>
      </article>
    </>
  );
}
