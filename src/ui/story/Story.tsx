// The page a visitor lands on: a scrolling article on model collapse, one live figure per model
// (each started as it comes on screen), the remedies, and the papers. The lab, with every
// control, is one click away; links that carry a recipe open the lab directly (src/app.tsx).
import type { PrerenderedFigures } from '../prerendered';
import { LiveFigure } from './LiveFigure';
import { OPENING, type StorySection, storySections } from './sections';

const SECTIONS = storySections();

function Section({ section }: { section: StorySection }) {
  return (
    <section className="story-section" id={section.id} aria-labelledby={`${section.id}-title`}>
      <h2 id={`${section.id}-title`}>{section.title}</h2>
      <div className="story-prose">{section.prose}</div>
      <LiveFigure section={section} />
    </section>
  );
}

export function Story({ prerendered = {} }: { prerendered?: PrerenderedFigures }) {
  return (
    <>
      <header className="masthead story-head">
        <p className="kicker">Collapse Lab</p>
        <h1>What happens when a model learns from its own output?</h1>
        <p className="lede">
          Fit a bell curve to 100 points, draw 100 new points from the fit, fit again — and repeat.
          Below, that loop runs live in your browser: watch the curve narrow as it learns only from
          itself.{' '}
          <a href="#v=1" data-testid="open-lab" className="lab-link">
            Open the lab, with every control →
          </a>
        </p>
      </header>
      <main className="story">
        <section className="story-section story-opening" aria-label={OPENING.title}>
          <LiveFigure section={OPENING} eager prerendered={prerendered[OPENING.id]} />
        </section>
        <section className="story-section" aria-labelledby="why-title">
          <h2 id="why-title">Model collapse, and why it matters</h2>
          <div className="story-prose">
            <p>
              Generative models learn from data people made. More and more of the text and images
              online are now made by models, so the next models will learn, in part, from the last
              ones. Each model is a slightly imperfect copy of its data; the next copies the copy.
              The rare things — the tails of the distribution, the unusual words, the odd faces —
              are the first to go, because a finite sample seldom contains them. Then the variety
              itself goes, until the model produces a narrow caricature of what it once knew. This
              is <em>model collapse</em>.
            </p>
            <p>
              It matters because the web, the source of most training data, is filling with
              generated text and images. Data gathered before that flood is the record of what
              people actually write and draw; whoever collected it early holds an advantage that
              later crawls cannot buy back. Below, small experiments show the collapse happen and
              what stops it. Each figure runs when you scroll to it and pauses when you scroll past.
            </p>
          </div>
        </section>
        {SECTIONS.map((s) => (
          <Section key={s.id} section={s} />
        ))}
        <section className="story-section" aria-labelledby="refs-title">
          <h2 id="refs-title">Read more</h2>
          <ul className="refs">
            <li>
              Shumailov, Shumaylov, Zhao, Gal, Papernot, Anderson.{' '}
              <a href="https://arxiv.org/abs/2305.17493">
                <em>The Curse of Recursion: Training on Generated Data Makes Models Forget</em>
              </a>{' '}
              (2023); in Nature (2024) as{' '}
              <a href="https://www.nature.com/articles/s41586-024-07566-y">
                <em>AI models collapse when trained on recursively generated data</em>
              </a>
              .
            </li>
            <li>
              Alemohammad et al.{' '}
              <a href="https://arxiv.org/abs/2307.01850">
                <em>Self-Consuming Generative Models Go MAD</em>
              </a>{' '}
              (2023).
            </li>
            <li>
              Gerstgrasser et al.{' '}
              <a href="https://arxiv.org/abs/2404.01413">
                <em>
                  Is Model Collapse Inevitable? Breaking the Curse of Recursion by Accumulating Real
                  and Synthetic Data
                </em>
              </a>{' '}
              (2024).
            </li>
            <li>
              Martínez et al.{' '}
              <a href="https://arxiv.org/abs/2306.06130">
                <em>
                  Towards Understanding the Interplay of Generative Artificial Intelligence and the
                  Internet
                </em>
              </a>{' '}
              (2023): diffusion models retrained on their own images.
            </li>
          </ul>
          <p>
            <a href="#v=1" className="lab-link">
              Open the lab
            </a>{' '}
            to change every setting, compare the models and share a link to your experiment.
          </p>
        </section>
      </main>
    </>
  );
}
