// The embed's side of the protocol: starts the run when the frame first comes into view, pauses
// playback while it is off-screen, answers the parent's messages (shapes checked by protocol.ts;
// only the embedding page is listened to) and reports ready, each generation, done, errors and its
// height, so the parent can size the frame.
import { parseRecipe } from '../core/recipe';
import { createRunner } from '../state/controller';
import { labStore } from '../state/store';
import { deserializeState } from '../state/urlCodec';
import { playback } from '../ui/Transport';
import { readEmbedHash } from './params';
import { type GenerationSummary, type OutgoingMessage, readMessage } from './protocol';

function post(message: OutgoingMessage): void {
  // The parent's origin is unknown (any article may embed the figure); nothing sent is private.
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

const summaryOf = (r: { generation: number; stats: GenerationSummary['stats'] }) => ({
  generation: r.generation,
  stats: r.stats,
});

export function startEmbedFrame(): void {
  const store = labStore;
  const { run } = createRunner();
  let visible = false;
  let ranRecipe: unknown = null;
  let resumeWhenShown = false;
  let doneRun = -1;
  let erredRun = -1;

  // Work starts only once a reader can see the figure; a later recipe runs when it is visible.
  const runIfVisible = () => {
    const recipe = store.getState().recipe;
    if (visible && ranRecipe !== recipe) {
      ranRecipe = recipe;
      run();
    }
  };

  store.subscribe((s, prev) => {
    if (s.recipe !== prev.recipe) {
      post({ type: 'collapse-lab:ready', recipe: s.recipe });
      runIfVisible();
    }
    if (s.results !== prev.results) {
      const from = s.runId === prev.runId ? prev.results.length : 0;
      for (let i = from; i < s.results.length; i++)
        post({ type: 'collapse-lab:generation', ...summaryOf(s.results[i]) });
    }
    // The pool's last parts may land after the run's end: done waits for every generation.
    if (
      s.status === 'done' &&
      doneRun !== s.runId &&
      s.results.length === s.recipe.generations + 1
    ) {
      doneRun = s.runId;
      post({ type: 'collapse-lab:done', generations: s.results.map(summaryOf) });
    }
    if (s.status === 'error' && erredRun !== s.runId) {
      erredRun = s.runId;
      post({ type: 'collapse-lab:error', message: s.runError ?? 'the simulation failed' });
    }
  });

  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== window.parent || window.parent === window) return;
    const m = readMessage(e.data);
    if (!m) return;
    if (m.type === 'collapse-lab:set') {
      const s = store.getState();
      if (typeof m.recipe === 'string') {
        const link = deserializeState(`#${readEmbedHash(m.recipe).recipeHash}`);
        s.setCursor(null);
        s.setRecipe(link.recipe, link.messages);
        return;
      }
      const parsed = parseRecipe(m.recipe);
      if (!parsed.ok) {
        post({ type: 'collapse-lab:error', message: parsed.error });
        return;
      }
      s.setCursor(null);
      s.setRecipe(parsed.recipe, parsed.warnings);
    } else if (m.type === 'collapse-lab:play') playback.play();
    else if (m.type === 'collapse-lab:pause') playback.pause();
    else if (m.type === 'collapse-lab:step') playback.step(1);
    else playback.reset();
  });

  new IntersectionObserver((entries) => {
    const entry = entries[entries.length - 1];
    visible = entry.isIntersecting;
    const s = store.getState();
    if (!visible && s.playing) {
      resumeWhenShown = true;
      playback.pause();
    } else if (visible && resumeWhenShown) {
      resumeWhenShown = false;
      playback.play();
    }
    runIfVisible();
  }).observe(document.documentElement);

  let height = 0;
  new ResizeObserver(() => {
    const h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h !== height && h > 0) {
      height = h;
      post({ type: 'collapse-lab:resize', height: h });
    }
  }).observe(document.body);

  post({ type: 'collapse-lab:ready', recipe: store.getState().recipe });
}

/** Reads the frame's address into the store (recipe, shown generation, messages). */
export function readEmbedAddress() {
  const params = readEmbedHash(location.hash);
  const link = deserializeState(`#${params.recipeHash}`);
  const s = labStore.getState();
  s.setRecipe(link.recipe, [...params.messages, ...link.messages]);
  s.setCursor(link.generation);
  return params;
}
