// embed.html's entry: starts the simulation worker first, then loads the figure (app.tsx), as the
// main page does (src/main.tsx).
import { prewarmSimulationWorker } from '../engine/simulationWorker';

prewarmSimulationWorker();
import('./app');
