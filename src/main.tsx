// The page's entry: starts the simulation workers first, then loads the page (src/app.tsx: React,
// the story, the lab). The workers fetch and compile while React loads, so the first live chart
// waits for the slower of the two instead of both in turn. The styles are the entry's, so the
// built page links them in its head and the prerendered story is styled before any script runs.
import { pagePoolSize, prewarmSimulationWorkers } from './engine/pool/prewarm';
import { routeOf } from './ui/route';
import './ui/styles.css';
import './ui/story/story.css';
// The story's first screen has a chart's data-table toggle (ChartDataTable imports it too).
import './ui/chartTable.css';

const story = routeOf(location.search, location.hash) === 'story';
// The story's figures run on one worker each; the lab and classroom mode split a run over the pool.
prewarmSimulationWorkers(story ? 1 : pagePoolSize());
if (story && document.getElementById('root')?.hasAttribute('data-prerendered-page')) {
  // The build drew the story into the page: let the browser paint it before the page's code runs
  // (the frame's requestAnimationFrame, then a task after it). The page's head has that code
  // fetched meanwhile (modulepreload, vite.config.ts).
  requestAnimationFrame(() => setTimeout(() => import('./app')));
} else import('./app');
