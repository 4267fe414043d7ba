// embed.html's entry: starts the simulation workers first, then loads the figure (app.tsx), as the
// main page does (src/main.tsx). Its model is not known before the address is read (app.tsx), so
// the whole pool starts; a model that runs on one worker leaves the rest to be ended unused.
import { pagePoolSize, prewarmSimulationWorkers } from '../engine/pool/prewarm';

prewarmSimulationWorkers(pagePoolSize());
import('./app');
