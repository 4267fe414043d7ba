#!/usr/bin/env node
// Builds the text of the transformer language model (model "transformer") from the Debian package
// r-cran-janeaustenr (1.0.0, MIT; Jane Austen's novels as Project Gutenberg prepared them, public
// domain). Two outputs:
//   .scratch/lm-corpus.json          the pretraining text: Sense and Sensibility, Emma, Mansfield
//                                    Park, Northanger Abbey (not shipped: only the weights are)
//   public/data/transformer-heldout.json   the held-out text of Pride and Prejudice and
//                                    Persuasion (the last 10 % of each, split exactly where
//                                    scripts/make-corpus.mjs splits its tokens), on which the
//                                    base model's loss is measured and tested
// Pride and Prejudice and Persuasion are the app's "real data", so none of their text is in the
// pretraining set.
// Run: node scripts/make-lm-corpus.mjs [path/to/janeaustenr]
// Without a path it reads the installed package (apt-get install r-cran-janeaustenr) or fetches
// the .deb with `apt-get download` and unpacks it with `dpkg-deb -x`. R is not needed: the script
// reads R's lazy-load database itself (the same format knowledge as scripts/make-corpus.mjs, kept
// separate so that neither script depends on the other).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanText, openJaneaustenr, TOKEN } from './janeaustenr.mjs';

/** Pretraining novels, by their names in the package. */
const PRETRAIN = [
  ['sensesensibility', 'Sense and Sensibility (1811)'],
  ['emma', 'Emma (1815)'],
  ['mansfieldpark', 'Mansfield Park (1814)'],
  ['northangerabbey', 'Northanger Abbey (1818)'],
];
/** The app's novels: only their held-out tenth is written here, for evaluation. */
const HELD = [
  ['prideprejudice', 'Pride and Prejudice (1813)'],
  ['persuasion', 'Persuasion (1817)'],
];
/** As in make-corpus.mjs: the last tenth of each novel's word tokens is held out. */
const HELD_OUT = 0.1;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const pkg = openJaneaustenr(process.argv[2]);
const { version } = pkg;
const lines = (name) => pkg.lines(name);

// --- cleaning ---------------------------------------------------------------------------------
/**
 * Gutenberg's hard line wrap means nothing: each paragraph (lines between blank lines) becomes
 * one line, spaces collapsed, paragraphs separated by one '\n'. NFC, as the tokeniser's input.
 */
function paragraphs(text) {
  return text
    .normalize('NFC')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join('\n');
}
const pretrain = PRETRAIN.map(([name, title]) => {
  const text = paragraphs(cleanText(lines(name)));
  return { name, title, text };
});
const held = HELD.map(([name, title]) => {
  const raw = cleanText(lines(name));
  const starts = [...raw.matchAll(TOKEN)].map((m) => m.index);
  const cut = Math.round(starts.length * (1 - HELD_OUT));
  return { name, title, tokens: starts.length - cut, text: paragraphs(raw.slice(starts[cut])) };
});

mkdirSync(join(root, '.scratch'), { recursive: true });
writeFileSync(
  join(root, '.scratch', 'lm-corpus.json'),
  JSON.stringify({ version, novels: pretrain }),
);
writeFileSync(
  join(root, 'public', 'data', 'transformer-heldout.json'),
  `${JSON.stringify(
    {
      source: `janeaustenr ${version} (public domain text); scripts/make-lm-corpus.mjs`,
      split: 'the last 10 % of each novel by the word tokens of scripts/make-corpus.mjs',
      novels: held.map(({ name, title, tokens, text }) => ({
        name,
        title,
        wordTokens: tokens,
        text,
      })),
    },
    null,
    1,
  )}\n`,
);
for (const n of pretrain) console.log(`${n.title}: ${n.text.length} characters (pretraining)`);
for (const n of held)
  console.log(`${n.title}: ${n.text.length} characters held out (${n.tokens} word tokens)`);
