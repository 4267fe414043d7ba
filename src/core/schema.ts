// zod, configured once for every schema in the app: without compiling parsers to code. zod's
// compiled parsers need eval, which the pages' Content-Security-Policy forbids (and merely probing
// for it logs a CSP violation); recipes and messages are small, so interpreting them costs nothing.
import { z } from 'zod';

z.config({ jitless: true });

export { z };
