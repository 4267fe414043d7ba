#!/usr/bin/env node
// Builds the text corpus of the language model (model "ngram") from the Debian package
// r-cran-janeaustenr (1.0.0, MIT; Jane Austen's novels as Project Gutenberg prepared them,
// public domain):
//   public/data/austen.bin          vocabulary and token ids (training and held-out text)
//   public/data/AUSTEN-SOURCE.md    origin, licence, tokeniser and the file format
//   src/core/models/ngram/corpusFacts.ts   the numbers theory needs (no data at run time)
// Run: node scripts/make-corpus.mjs [path/to/janeaustenr]
// Without a path it reads the installed package (apt-get install r-cran-janeaustenr) or, failing
// that, fetches the .deb with `apt-get download` and unpacks it with `dpkg-deb -x` (no R needed:
// the script reads R's lazy-load database itself).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateSync } from 'node:zlib';

/** The novels shipped (about 1.1 MB of text), by their names in the package. */
const NOVELS = [
  ['prideprejudice', 'Pride and Prejudice (1813)'],
  ['persuasion', 'Persuasion (1817)'],
];
/** Types kept (by training frequency, <unk> included); rarer ones become <unk>. */
const VOCAB_SIZE = 8192;
/** The last tenth of each novel's tokens is held out. */
const HELD_OUT = 0.1;
const UNK = '<unk>';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// --- find the package --------------------------------------------------------------------
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

// --- R's serialization format (XDR), the few types the lazy-load database uses -----------------
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
  int();
  int();
  if (formatVersion === 3) {
    const n = int(); // the native encoding's name
    pos += n;
  }
  const item = () => {
    const flags = int();
    const type = flags & 0xff;
    const hasAttr = (flags & (1 << 9)) !== 0;
    const hasTag = (flags & (1 << 10)) !== 0;
    switch (type) {
      case 254: // NILVALUE
      case 242: // EMPTYENV
      case 253: // GLOBALENV
      case 241: // BASEENV
      case 251: // MISSINGARG
      case 247: // BASENAMESPACE
        return null;
      case 255: {
        // REFSXP
        const i = flags >> 8 || int();
        return refs[i - 1];
      }
      case 1: {
        // SYMSXP
        const name = item();
        refs.push(name);
        return name;
      }
      case 2: {
        // LISTSXP: a pairlist, read as [tag, value] pairs
        const out = [];
        let attr = null;
        if (hasAttr) attr = item();
        const tag = hasTag ? item() : null;
        out.push([tag, item()]);
        const rest = item();
        if (Array.isArray(rest)) out.push(...rest);
        void attr;
        return out;
      }
      case 9: {
        // CHARSXP
        const n = int();
        if (n === -1) return null;
        const s = buf.toString('utf8', pos, pos + n);
        pos += n;
        return s;
      }
      case 10:
      case 13: {
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++) out.push(int());
        if (hasAttr) item();
        return out;
      }
      case 14: {
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++, pos += 8) out.push(buf.readDoubleBE(pos));
        if (hasAttr) item();
        return out;
      }
      case 16:
      case 19: {
        // STRSXP, VECSXP
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
  // Each object: its uncompressed length (4 bytes) then zlib data.
  return unserialize(inflateSync(rdb.subarray(offset + 4, offset + length)));
}

// --- text and tokens ---------------------------------------------------------------------
/** Drops the title lines and chapter headings, joins lines and strips the italics marks. */
function cleanText(ls) {
  const first = ls.findIndex((l) => /^\s*chapter\s+(\d+|[ivxlc]+)\.?\s*$/i.test(l));
  return ls
    .slice(first)
    .filter((l) => l !== null && !/^\s*chapter\s+(\d+|[ivxlc]+)\.?\s*$/i.test(l))
    .join('\n')
    .replace(/_/g, '');
}
/** Words (letters with inner apostrophes or hyphens), numbers and single punctuation marks. */
const TOKEN = /[A-Za-z]+(?:['’][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|--|[^\sA-Za-z0-9]/g;
const tokenize = (text) => text.match(TOKEN) ?? [];

const novels = NOVELS.map(([name, title]) => {
  const text = cleanText(lines(name));
  const tokens = tokenize(text);
  const cut = Math.round(tokens.length * (1 - HELD_OUT));
  return {
    name,
    title,
    chars: text.length,
    train: tokens.slice(0, cut),
    heldOut: tokens.slice(cut),
  };
});
const trainTokens = novels.flatMap((n) => n.train);
const heldTokens = novels.flatMap((n) => n.heldOut);

// Vocabulary: training types by frequency (ties by first appearance), <unk> at its own rank.
const counts = new Map();
for (const t of trainTokens) counts.set(t, (counts.get(t) ?? 0) + 1);
const byFreq = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a));
const typesSeen = byFreq.length;
const kept = byFreq.slice(0, VOCAB_SIZE - 1);
const keptSet = new Set(kept);
const unkTrain = trainTokens.filter((t) => !keptSet.has(t)).length;
const unkHeld = heldTokens.filter((t) => !keptSet.has(t)).length;
// <unk> goes where its count ranks it, so ids stay in frequency order (small ids are frequent).
const vocab = [...kept];
let unkAt = vocab.findIndex((t) => counts.get(t) < unkTrain);
if (unkAt < 0) unkAt = vocab.length;
vocab.splice(unkAt, 0, UNK);
const idOf = new Map(vocab.map((t, i) => [t, i]));
const ids = (tokens) => Uint32Array.from(tokens, (t) => idOf.get(t) ?? idOf.get(UNK));
const train = ids(trainTokens);
const held = ids(heldTokens);

// --- file: header, vocabulary, then LEB128 token ids ------------------------------------
function leb128(values) {
  const out = [];
  for (const v0 of values) {
    let v = v0;
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
  }
  return Buffer.from(out);
}
const vocabBytes = Buffer.from(vocab.join('\n'), 'utf8');
const trainBytes = leb128(train);
const heldBytes = leb128(held);
const header = Buffer.alloc(24);
header.write('NGRM', 0, 'latin1');
header.writeUInt32LE(1, 4); // format version
header.writeUInt32LE(vocab.length, 8);
header.writeUInt32LE(train.length, 12);
header.writeUInt32LE(held.length, 16);
header.writeUInt32LE(vocabBytes.length, 20);
const file = Buffer.concat([header, vocabBytes, trainBytes, heldBytes]);
writeFileSync(join(root, 'public', 'data', 'austen.bin'), file);

// --- facts for theory: the training text's unigram distribution -------------------------------
const idCounts = new Float64Array(vocab.length);
for (const t of train) idCounts[t]++;
let sumSq = 0;
let sumCubes = 0;
let sumFourth = 0;
for (const c of idCounts) {
  const p = c / train.length;
  sumSq += p ** 2;
  sumCubes += p ** 3;
  sumFourth += p ** 4;
}
const facts = `// Generated by scripts/make-corpus.mjs from public/data/austen.bin: facts of the shipped
// training text that theory needs without loading it (do not edit by hand).
export const CORPUS_FACTS = {
  vocabularySize: ${vocab.length},
  trainingTokens: ${train.length},
  heldOutTokens: ${held.length},
  /** Σ p², Σ p³, Σ p⁴ of the training text's unigram distribution (p: a type's share of tokens). */
  sumSquares: ${sumSq},
  sumCubes: ${sumCubes},
  sumFourth: ${sumFourth},
} as const;
`;
writeFileSync(join(root, 'src', 'core', 'models', 'ngram', 'corpusFacts.ts'), facts);

const rows = novels
  .map(
    (n) =>
      `| ${n.title} | \`${n.name}\` | ${n.chars.toLocaleString('en')} | ${n.train.length.toLocaleString('en')} | ${n.heldOut.length.toLocaleString('en')} |`,
  )
  .join('\n');
const md = `# Text corpus shipped with Collapse Lab (model "ngram")

## Origin and licence
- The text is Jane Austen's *Pride and Prejudice* (1813) and *Persuasion* (1817), public domain,
  as Project Gutenberg prepared them (eBooks #1342 and #105).
- It was taken from the Debian package \`r-cran-janeaustenr\` ${version} (the CRAN package
  janeaustenr by Julia Silge, MIT licence; the licence covers the packaging, the novels themselves
  are in the public domain). Install it with \`apt-get install r-cran-janeaustenr\`, or fetch it
  with \`apt-get download r-cran-janeaustenr\`.
- \`scripts/make-corpus.mjs\` produced \`austen.bin\` and this note
  (\`node scripts/make-corpus.mjs\`); it reads R's lazy-load database in the package itself, so
  R is not needed. Nothing is downloaded at run time.

## Text and tokens
Each novel's lines from its first chapter heading on, chapter headings dropped, joined by line
breaks, Gutenberg's italics marks (\`_\`) removed. Tokens are words (letters, with inner
apostrophes: \`don't\`, \`Elizabeth's\`), numbers, \`--\` and every other single non-space
character (punctuation and quotation marks). Case is kept.

| novel | package name | characters | training tokens | held-out tokens |
| --- | --- | ---: | ---: | ---: |
${rows}

The last ${HELD_OUT * 100} % of each novel's tokens is held out; the rest is training text (the novels in
the order above). Training text has ${typesSeen.toLocaleString('en')} types; the vocabulary keeps
the ${(VOCAB_SIZE - 1).toLocaleString('en')} most frequent (ties by first appearance) and maps the
rest to \`<unk>\` (vocabulary size ${vocab.length.toLocaleString('en')} with \`<unk>\`):
${unkTrain.toLocaleString('en')} training tokens and ${unkHeld.toLocaleString('en')} held-out tokens
are \`<unk>\`, held-out types never seen in training included.

## Format of austen.bin (${file.length.toLocaleString('en')} bytes, little-endian)
| offset | size | content |
| --- | --- | --- |
| 0 | 4 | \`NGRM\` |
| 4 | 4 | format version (1) |
| 8 | 4 | V: vocabulary size |
| 12 | 4 | training tokens |
| 16 | 4 | held-out tokens |
| 20 | 4 | B: bytes of the vocabulary |
| 24 | B | the V types in id order, UTF-8, separated by \`\\n\` |
| 24 + B | … | training token ids, then held-out token ids, each as unsigned LEB128 |

Ids are in order of training frequency (id 0 is the most frequent type), so most take one byte.
`;
writeFileSync(join(root, 'public', 'data', 'AUSTEN-SOURCE.md'), md);
console.log(
  `austen.bin: ${file.length} bytes, V = ${vocab.length} (of ${typesSeen} types), ${train.length} training + ${held.length} held-out tokens; Σp² = ${sumSq.toFixed(6)}`,
);
