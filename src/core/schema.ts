// zod, configured once for every schema in the app. Its "mini" build: the same checks through
// functions instead of methods, so a bundle carries only the checks it uses (about 7 KB gzipped
// against about 28 KB for the full build, on the page and again in each worker). Without
// compiling parsers to code: zod's compiled parsers need eval, which the pages'
// Content-Security-Policy forbids (and merely probing for it logs a CSP violation); recipes and
// messages are small, so interpreting them costs nothing.

import { en } from 'zod/locales';
import * as z from 'zod/mini';

// English messages ("Too small: expected number to be >=0"): the mini build ships none by itself.
z.config({ jitless: true, ...en() });

export { z };
