// The page's entry: starts the simulation worker first, then loads the page (src/app.tsx: React,
// the story, the lab). The worker fetches and compiles while React loads, so the first chart waits
// for the slower of the two instead of both in turn.
import { prewarmSimulationWorker } from './engine/simulationWorker';

prewarmSimulationWorker();
import('./app');
