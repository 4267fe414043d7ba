// The page's entry: starts the simulation worker first, then loads the page (src/app.tsx: React,
// the story, the lab). The worker fetches and compiles while React loads, so the first live chart
// waits for the slower of the two instead of both in turn. The styles are the entry's, so the
// built page links them in its head and the prerendered story is styled before any script runs.
import { prewarmSimulationWorker } from './engine/simulationWorker';
import './ui/styles.css';
import './ui/story/story.css';
// The story's first screen has a chart's data-table toggle (ChartDataTable imports it too).
import './ui/chartTable.css';

prewarmSimulationWorker();
import('./app');
