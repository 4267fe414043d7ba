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
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateSync } from 'node:zlib';

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

function packageDir() {
  if (process.argv[2]) return process.argv[2];
  const installed = '/usr/lib/R/site-library/janeaustenr';
  if (existsSync(join(installed, 'data', 'Rdata.rdb'))) return installed;
  const tmp = mkdtempSync(join(tmpdir(), 'janeaustenr-'));
  execFileSync('apt-get', ['download', 'r-cran-janeaustenr'], { cwd: tmp, stdio: 'inherit' });
  const deb = execFileSync('sh', ['-c', 'ls r-cran-janeaustenr_*.deb'], { cwd: tmp })
    .toString()
    .trim();
  execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: tmp });
  return join(tmp, 'x', 'usr', 'lib', 'R', 'site-library', 'janeaustenr');
}
const pkgDir = packageDir();
const description = readFileSync(join(pkgDir, 'DESCRIPTION'), 'utf8');
const version = /^Version:\s*(\S+)/m.exec(description)?.[1];
if (version !== '1.0.0') throw new Error(`expected janeaustenr 1.0.0, found ${version}`);

// --- R's XDR serialization: only the types the package's lazy-load database uses -------------
function unserialize(buf) {
  let pos = 0;
  const int = () => {
    const v = buf.readInt32BE(pos);
    pos += 4;
    return v;
  };
  const refs = [];
  if (buf.toString('latin1', 0, 2) !== 'X\n') throw new Error('not an XDR serialization');
  pos = 2;
  const formatVersion = int();
  int(); // writer's R version
  int(); // oldest R version that can read it
  if (formatVersion === 3) {
    const n = int(); // length of the native encoding's name, which follows
    pos += n;
  }
  const item = () => {
    const flags = int();
    const type = flags & 0xff;
    const hasAttr = (flags & (1 << 9)) !== 0;
    const hasTag = (flags & (1 << 10)) !== 0;
    switch (type) {
      case 254: // NILVALUE_SXP and the other special environments/values: nothing to read
      case 242:
      case 253:
      case 241:
      case 251:
      case 247:
        return null;
      case 255: // REFSXP: an index into the symbols read so far
        return refs[(flags >> 8 || int()) - 1];
      case 1: {
        // SYMSXP: its name follows as a CHARSXP
        const name = item();
        refs.push(name);
        return name;
      }
      case 2: {
        // LISTSXP (pairlist) as [tag, value] pairs
        if (hasAttr) item();
        const tag = hasTag ? item() : null;
        const out = [[tag, item()]];
        const rest = item();
        if (Array.isArray(rest)) out.push(...rest);
        return out;
      }
      case 9: {
        // CHARSXP; length -1 is NA
        const n = int();
        if (n === -1) return null;
        const s = buf.toString('utf8', pos, pos + n);
        pos += n;
        return s;
      }
      case 10: // LGLSXP
      case 13: {
        // INTSXP
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++) out.push(int());
        if (hasAttr) item();
        return out;
      }
      case 14: {
        // REALSXP
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++, pos += 8) out.push(buf.readDoubleBE(pos));
        if (hasAttr) item();
        return out;
      }
      case 16: // STRSXP
      case 19: {
        // VECSXP
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++) out.push(item());
        if (hasAttr) out.attributes = item();
        return out;
      }
      default:
        throw new Error(`unsupported R type ${type}`);
    }
  };
  return item();
}

const rdx = unserialize(gunzipSync(readFileSync(join(pkgDir, 'data', 'Rdata.rdx'))));
const variables = rdx[0];
const names = variables.attributes.find(([tag]) => tag === 'names')[1];
const rdb = readFileSync(join(pkgDir, 'data', 'Rdata.rdb'));
function lines(name) {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`no ${name} in the package`);
  const [offset, length] = variables[i];
  // Each object: its uncompressed length (4 bytes), then zlib data.
  return unserialize(inflateSync(rdb.subarray(offset + 4, offset + length)));
}

// --- cleaning ---------------------------------------------------------------------------------
const HEADING = /^\s*chapter\s+(\d+|[ivxlc]+)\.?\s*$/i;
/** As make-corpus.mjs: from the first chapter heading, headings dropped, `_` (italics) removed. */
function cleanText(ls) {
  const first = ls.findIndex((l) => l !== null && HEADING.test(l));
  return ls
    .slice(first)
    .filter((l) => l !== null && !HEADING.test(l))
    .join('\n')
    .replace(/_/g, '');
}
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
/** make-corpus.mjs's word tokens: its held-out split falls at a token boundary. */
const TOKEN = /[A-Za-z]+(?:['’][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|--|[^\sA-Za-z0-9]/g;

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
