// Pretrains the transformer's base model once, in Node on the tfjs wasm backend, and writes
//   public/data/transformer-tokenizer.json   the byte-pair vocabulary (learned here)
//   public/data/transformer-base.bin         the weights, float16 (core/models/transformer/weightFile.ts)
//   public/data/TRANSFORMER-SOURCE.md        how they were made, with the loss curve and samples
// Input: .scratch/lm-corpus.json from `node scripts/make-lm-corpus.mjs` (Sense and Sensibility,
// Emma, Mansfield Park, Northanger Abbey) and public/data/transformer-heldout.json.
//
// Run:    npx tsx scripts/pretrain-transformer.ts            (trains, then runs --finish)
//         (PRETRAIN_STEPS=N sets the run's length; PRETRAIN_NOTE=text adds a paragraph to the note)
//         npx tsx scripts/pretrain-transformer.ts --resume   (continues from the checkpoint)
//         npx tsx scripts/pretrain-transformer.ts --finish   (writes the files from the checkpoint)
// Seeded: the same code gives the same weights on the same backend. Batches are drawn from
// createRng(SEED, RNG.batch, step), so a resumed run draws exactly the batches it would have.
// A checkpoint (weights, Adam's state, the loss log) is written every CHECKPOINT_EVERY steps to
// .scratch/pretrain-checkpoint.* so that a crash loses at most that many steps.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseTokenizer, type Tokenizer, trainBpe } from '../src/core/models/transformer/tokenizer';
import { createRng } from '../src/core/rng';
import { Gpt, type GptConfig } from '../src/engine/models/transformer/gpt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, '.scratch');
const dataDir = join(root, 'public', 'data');
const CKPT_JSON = join(scratch, 'pretrain-checkpoint.json');
const CKPT_BIN = join(scratch, 'pretrain-checkpoint.bin');

export const SEED = 20260421;
const RNG = { init: 1, batch: 2, sample: 3 } as const;
const VOCAB_SIZE = 1024;
const CONFIG: Omit<GptConfig, 'vocabSize'> = { blockSize: 64, nLayer: 3, nHead: 4, nEmbd: 96 };
const STEPS = Number(process.env.PRETRAIN_STEPS ?? 4000);
const BATCH = 16;
const PEAK_LR = 1e-3;
const FINAL_LR = 1e-4;
const WARMUP = 200;
/**
 * Warm-up, then a constant rate, then a linear decay over the last DECAY steps (a
 * "warmup-stable-decay" schedule): until the decay starts, the schedule does not depend on STEPS,
 * so a run resumed with another PRETRAIN_STEPS (before STEPS - DECAY) is exactly the run that
 * would have been made with that number from the start. (The machine is shared: how many steps
 * fit in the time is only known while training.)
 */
const DECAY = 500;
const CLIP = 1;
/** The last 5 % of each pretraining novel (from a paragraph start) is the validation text. */
const VALIDATION = 0.05;
const LOG_EVERY = 100;
const VAL_EVERY = 500;
const CHECKPOINT_EVERY = 100;
/** Windows of the quick validation estimate logged during training. */
const QUICK_VAL_WINDOWS = 64;

interface LogRow {
  step: number;
  lr: number;
  /** Mean training loss of the LOG_EVERY batches up to this step (before their updates). */
  train: number;
  /** Quick validation estimate (first QUICK_VAL_WINDOWS windows), every VAL_EVERY steps. */
  val?: number;
  elapsedS: number;
}

interface CheckpointMeta {
  step: number;
  /** The run's planned length when this was written. */
  steps: number;
  adamStep: number;
  elapsedS: number;
  log: LogRow[];
  shapes: number[];
  tokenizerHash: string;
  config: GptConfig;
}

function lrAt(step: number): number {
  if (step < WARMUP) return (PEAK_LR * (step + 1)) / WARMUP;
  const decayFrom = STEPS - DECAY;
  if (step < decayFrom) return PEAK_LR;
  return PEAK_LR + ((FINAL_LR - PEAK_LR) * (step - decayFrom + 1)) / DECAY;
}

function splitNovels(): { train: string[]; val: string[]; names: string[]; chars: number[] } {
  const path = join(scratch, 'lm-corpus.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run node scripts/make-lm-corpus.mjs`);
  const corpus = JSON.parse(readFileSync(path, 'utf8')) as {
    novels: { name: string; title: string; text: string }[];
  };
  const train: string[] = [];
  const val: string[] = [];
  for (const n of corpus.novels) {
    const cut = n.text.indexOf('\n', Math.floor(n.text.length * (1 - VALIDATION)));
    train.push(n.text.slice(0, cut));
    val.push(n.text.slice(cut + 1));
  }
  return {
    train,
    val,
    names: corpus.novels.map((n) => n.title),
    chars: corpus.novels.map((n) => n.text.length),
  };
}

/** The novels' tokens, one stream, novels separated by a line break (a paragraph break). */
function encodeAll(tok: Tokenizer, texts: string[]): Uint16Array {
  return Uint16Array.from(tok.encode(texts.join('\n')));
}

function heldOutTexts(): { title: string; text: string }[] {
  const j = JSON.parse(readFileSync(join(dataDir, 'transformer-heldout.json'), 'utf8')) as {
    novels: { title: string; text: string }[];
  };
  return j.novels;
}

async function quickVal(model: Gpt, val: Uint16Array): Promise<number> {
  const T = CONFIG.blockSize;
  const n = Math.min(QUICK_VAL_WINDOWS * (T - 1) + 1, val.length);
  const { nats, predicted } = await model.textLoss(val.subarray(0, n), BATCH);
  return nats / predicted;
}

async function saveCheckpoint(model: Gpt, meta: Omit<CheckpointMeta, 'shapes' | 'adamStep'>) {
  const arrays = [...(await model.toArrays()).values()];
  const opt = await model.optimizerState();
  if (!opt) throw new Error('no optimizer state to save');
  const all = [...arrays, ...opt.m, ...opt.v];
  const total = all.reduce((s, a) => s + a.length, 0);
  const flat = new Float32Array(total);
  let at = 0;
  for (const a of all) {
    flat.set(a, at);
    at += a.length;
  }
  writeFileSync(`${CKPT_BIN}.tmp`, new Uint8Array(flat.buffer));
  const full: CheckpointMeta = { ...meta, adamStep: opt.step, shapes: arrays.map((a) => a.length) };
  writeFileSync(`${CKPT_JSON}.tmp`, JSON.stringify(full));
  renameSync(`${CKPT_BIN}.tmp`, CKPT_BIN);
  renameSync(`${CKPT_JSON}.tmp`, CKPT_JSON);
}

function loadCheckpoint(): { meta: CheckpointMeta; model: Gpt; adam: Float32Array[][] } {
  const meta = JSON.parse(readFileSync(CKPT_JSON, 'utf8')) as CheckpointMeta;
  const raw = readFileSync(CKPT_BIN);
  const flat = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const init = Gpt.init(meta.config, 0);
  const names = [...init.parameterNames()];
  init.dispose();
  let at = 0;
  const take = (n: number) => {
    const a = flat.slice(at, at + n);
    at += n;
    return a;
  };
  const named = new Map<string, Float32Array>();
  for (let i = 0; i < meta.shapes.length; i++) named.set(names[i], take(meta.shapes[i]));
  const m = meta.shapes.map((n) => take(n));
  const v = meta.shapes.map((n) => take(n));
  return { meta, model: Gpt.fromArrays(meta.config, named), adam: [m, v] };
}

async function train(resume: boolean) {
  const { train: trainTexts, val: valTexts } = splitNovels();
  let tok: Tokenizer;
  const tokPath = join(dataDir, 'transformer-tokenizer.json');
  if (resume) {
    tok = parseTokenizer(readFileSync(tokPath, 'utf8'));
  } else {
    const spec = trainBpe(trainTexts, VOCAB_SIZE);
    writeFileSync(tokPath, `${JSON.stringify(spec)}\n`);
    tok = parseTokenizer(readFileSync(tokPath, 'utf8'));
  }
  const trainIds = encodeAll(tok, trainTexts);
  const valIds = encodeAll(tok, valTexts);
  console.log(
    `tokeniser ${tok.hash}: ${tok.vocabSize} tokens; ${trainIds.length} training tokens, ${valIds.length} validation tokens`,
  );
  const config: GptConfig = { ...CONFIG, vocabSize: tok.vocabSize };
  let model: Gpt;
  let step = 0;
  let elapsed = 0;
  let log: LogRow[] = [];
  if (resume) {
    const ck = loadCheckpoint();
    if (ck.meta.tokenizerHash !== tok.hash) throw new Error('checkpoint tokeniser mismatch');
    model = ck.model;
    model.setOptimizerState({ step: ck.meta.adamStep, m: ck.adam[0], v: ck.adam[1] });
    step = ck.meta.step;
    if (step > STEPS - DECAY && ck.meta.steps !== STEPS) {
      throw new Error(
        `the checkpoint (step ${step}) is already in the decay of a ${ck.meta.steps}-step run`,
      );
    }
    elapsed = ck.meta.elapsedS;
    log = ck.meta.log;
    console.log(`resumed at step ${step} (${elapsed.toFixed(0)} s so far)`);
  } else {
    model = Gpt.init(config, SEED, [RNG.init]);
    console.log(`model: ${JSON.stringify(config)}, ${model.parameterCount} parameters`);
    log.push({
      step: 0,
      lr: 0,
      train: Number.NaN,
      val: await quickVal(model, valIds),
      elapsedS: 0,
    });
    console.log(`step 0 val ${log[0].val?.toFixed(4)}`);
  }
  const T = CONFIG.blockSize;
  const ids = new Int32Array(BATCH * T);
  const tg = new Int32Array(BATCH * T);
  let sum = 0;
  let count = 0;
  let t0 = performance.now();
  while (step < STEPS) {
    const rng = createRng(SEED, RNG.batch, step);
    for (let b = 0; b < BATCH; b++) {
      const s = rng.int(trainIds.length - T - 1);
      for (let j = 0; j < T; j++) {
        ids[b * T + j] = trainIds[s + j];
        tg[b * T + j] = trainIds[s + j + 1];
      }
    }
    const lr = lrAt(step);
    const loss = await model.trainStep(ids, tg, BATCH, T, {
      learningRate: lr,
      clipNorm: CLIP,
      readLoss: true,
    });
    if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${step}`);
    sum += loss;
    count++;
    step++;
    if (step % LOG_EVERY === 0 || step === STEPS) {
      const now = performance.now();
      elapsed += (now - t0) / 1000;
      t0 = now;
      const row: LogRow = { step, lr, train: sum / count, elapsedS: elapsed };
      if (step % VAL_EVERY === 0 || step === STEPS) row.val = await quickVal(model, valIds);
      log.push(row);
      sum = 0;
      count = 0;
      console.log(
        `step ${step} lr ${lr.toExponential(2)} train ${row.train.toFixed(4)}${row.val !== undefined ? ` val ${row.val.toFixed(4)}` : ''} ${elapsed.toFixed(0)} s, ${tf.memory().numTensors} tensors`,
      );
      t0 = performance.now(); // evaluation time is not training time
    }
    if (step % CHECKPOINT_EVERY === 0 || step === STEPS) {
      await saveCheckpoint(model, {
        step,
        steps: STEPS,
        elapsedS: elapsed,
        log,
        tokenizerHash: tok.hash,
        config,
      });
      t0 = performance.now();
    }
  }
  model.dispose();
  console.log(`training done: ${elapsed.toFixed(0)} s of training`);
}

/** Loss (nats per token and per character) of `model` on each text and on all together. */
async function textLosses(model: Gpt, tok: Tokenizer, texts: { title: string; text: string }[]) {
  const rows = [];
  let nats = 0;
  let tokens = 0;
  let chars = 0;
  for (const t of texts) {
    const ids = tok.encode(t.text);
    const r = await model.textLoss(ids, BATCH);
    // Per character: the first token is not predicted, so divide by the characters after it.
    const c = t.text.length - tok.decode(ids.slice(0, 1)).length;
    rows.push({
      title: t.title,
      tokens: ids.length,
      chars: t.text.length,
      perToken: r.nats / r.predicted,
      perChar: r.nats / c,
    });
    nats += r.nats;
    tokens += r.predicted;
    chars += c;
  }
  return { rows, perToken: nats / tokens, perChar: nats / chars };
}

const PROMPTS = [
  'It is a truth universally acknowledged, that a single man in possession of a good fortune',
  'Elizabeth could not help',
  'Mr. Darcy',
  '"My dear Mr. Bennet," said his lady to him one day,',
];

async function finish() {
  const tok = parseTokenizer(readFileSync(join(dataDir, 'transformer-tokenizer.json'), 'utf8'));
  const { meta, model: trained } = loadCheckpoint();
  if (meta.tokenizerHash !== tok.hash) throw new Error('checkpoint tokeniser mismatch');
  const weights = await trained.toWeights(tok.hash);
  writeFileSync(join(dataDir, 'transformer-base.bin'), new Uint8Array(weights));
  // Everything below measures the shipped (float16) weights, read back from the file.
  const fullLossVal = async (m: Gpt) => {
    const { val } = splitNovels();
    return textLosses(
      m,
      tok,
      val.map((text, i) => ({ title: `validation ${i}`, text })),
    );
  };
  const val32 = await fullLossVal(trained);
  trained.dispose();
  const model = Gpt.fromWeights(
    readFileSync(join(dataDir, 'transformer-base.bin')).buffer as ArrayBuffer,
    tok.hash,
  );
  const val16 = await fullLossVal(model);
  const held = await textLosses(model, tok, heldOutTexts());
  const { train: trainTexts, val: valTexts, names, chars } = splitNovels();
  const trainTokens = trainTexts.reduce((s, t) => s + tok.encode(t).length, 0);
  const valTokens = valTexts.reduce((s, t) => s + tok.encode(t).length, 0);
  const heldText = heldOutTexts()
    .map((h) => h.text)
    .join('\n');
  const heldCharsPerToken = heldText.length / tok.encode(heldText).length;
  const trainCharsPerToken = trainTexts.join('\n').length / (trainTokens + trainTexts.length - 1);
  // Samples: each prompt, temperature 0.8, top-k 0, 48 new tokens (stream RNG.sample).
  const samples: string[] = [];
  const t0 = performance.now();
  let sampledTokens = 0;
  for (let i = 0; i < PROMPTS.length; i++) {
    const p = tok.encode(PROMPTS[i]);
    const [out] = await model.generate([p], {
      maxNewTokens: 48,
      temperature: 0.8,
      seed: SEED,
      rngPath: [RNG.sample, i],
    });
    sampledTokens += out.length;
    samples.push(`${PROMPTS[i]}**${tok.decode(out)}**`);
  }
  const sampleS = (performance.now() - t0) / 1000;
  // Speed of one app generation's work, on this machine as loaded as it is now: fine-tune a copy
  // of the base on M = 32 held-out passages of 64 (+1) tokens for 3 epochs (batch 16), then sample
  // 32 passages of 48 tokens from 16-token prompts with the KV cache (all passages together).
  const M = 32;
  const heldIds = tok.encode(heldText);
  const passages = Array.from({ length: M }, (_, i) => heldIds.slice(i * 200, i * 200 + 65));
  const copy = Gpt.fromWeights(
    readFileSync(join(dataDir, 'transformer-base.bin')).buffer as ArrayBuffer,
    tok.hash,
  );
  const tFit = performance.now();
  await copy.fit(passages, { epochs: 3, batchSize: 16, learningRate: 3e-4, seed: SEED });
  const fitS = (performance.now() - tFit) / 1000;
  const tGen = performance.now();
  await copy.generate(
    passages.map((p) => p.slice(0, 16)),
    { maxNewTokens: 48, temperature: 0.8, seed: SEED, rngPath: [RNG.sample, 99] },
  );
  const genS = (performance.now() - tGen) / 1000;
  copy.dispose();
  const speed = {
    stepMs: (fitS * 1000) / (3 * Math.ceil(M / 16)),
    fitS,
    genS,
    tokPerS: (M * 48) / genS,
  };
  console.log(`speed: ${JSON.stringify(speed)}`);
  model.dispose();
  console.log(samples.join('\n\n'));
  const last = meta.log[meta.log.length - 1];
  // (JSON writes the first row's NaN as null.)
  const fmt = (x: number | null | undefined) =>
    x === undefined || x === null || Number.isNaN(x) ? '' : x.toFixed(3);
  const table = meta.log
    .filter((r) => r.step % 500 === 0 || r.step === meta.step)
    .map(
      (r) =>
        `| ${r.step} | ${r.lr ? r.lr.toExponential(2) : ''} | ${fmt(r.train)} | ${fmt(r.val)} | ${r.elapsedS.toFixed(0)} |`,
    )
    .join('\n');
  const params = meta.shapes.reduce((s, n) => s + n, 0);
  const size = weights.byteLength;
  const md = `# Transformer base model shipped with Collapse Lab (model "transformer")

Made by \`scripts/pretrain-transformer.ts\` (\`npx tsx scripts/pretrain-transformer.ts\`) from the text
that \`node scripts/make-lm-corpus.mjs\` extracts. Nothing is downloaded at run time.

## Source and licence
- Jane Austen's *${names.join('*, *')}*, public domain, as Project Gutenberg prepared them, taken
  from the Debian package \`r-cran-janeaustenr\` 1.0.0 (the CRAN package janeaustenr by Julia Silge,
  MIT licence; the licence covers the packaging, the novels are in the public domain).
- *Pride and Prejudice* and *Persuasion*, the app's real data, are **not** in the pretraining text.
  Their last 10 % (split where \`scripts/make-corpus.mjs\` splits its word tokens) is in
  \`transformer-heldout.json\`, on which the base's loss is reported below.
- Text: each novel from its first chapter heading, headings dropped, \`_\` removed (as
  make-corpus.mjs), then each paragraph joined into one line (spaces collapsed), paragraphs
  separated by one line break, Unicode NFC. Novel characters: ${names.map((n, i) => `${n} ${chars[i].toLocaleString('en')}`).join('; ')}.
- The last ${VALIDATION * 100} % of each pretraining novel (from a paragraph start) is the
  validation text; the rest (${trainTokens.toLocaleString('en')} tokens) is the training text
  (${valTokens.toLocaleString('en')} validation tokens).

## Tokeniser (\`transformer-tokenizer.json\`, hash \`${tok.hash}\`)
Byte-level BPE (src/core/models/transformer/tokenizer.ts): NFC, GPT-2's pre-split pattern, the 256
bytes as base tokens, ${tok.vocabSize - 256} merges learned from the training text (most frequent
pair first; ties to the smaller left id, then the smaller right id): ${tok.vocabSize} tokens.
Lossless on any text. ${trainCharsPerToken.toFixed(2)} characters per token on the training text,
${heldCharsPerToken.toFixed(2)} on the held-out Pride and Prejudice + Persuasion text. The JSON holds
\`merges\` (flat pairs of ids: merge r makes token 256 + r) and \`hash\` (FNV-1a of the spec, also
recorded in the weight file, which is refused with another tokeniser).

## Architecture (src/engine/models/transformer/gpt.ts)
GPT-style decoder: context ${meta.config.blockSize} tokens, ${meta.config.nLayer} pre-LayerNorm blocks,
width ${meta.config.nEmbd}, ${meta.config.nHead} heads, MLP ${4 * meta.config.nEmbd} with ReLU, no
biases in linear layers, learned position embeddings, output tied to the token embedding:
**${params.toLocaleString('en')} parameters**. \`transformer-base.bin\`: ${size.toLocaleString('en')} bytes
(float16; format in src/core/models/transformer/weightFile.ts).

## Training
tfjs ${tf.version.tfjs}, wasm backend (SIMD, one thread) in Node ${process.version}, under \`nice\` on
a 2-core machine shared with other work. Seed ${SEED}; ${meta.step} steps of ${BATCH} windows of
${meta.config.blockSize} tokens (random starts, createRng(seed, 2, step)); Adam (β = 0.9, 0.99,
ε = 1e-8, written out in gpt.ts), learning rate warmed up linearly over ${WARMUP} steps to ${PEAK_LR}
held, then decayed linearly to ${FINAL_LR} over the last ${DECAY} steps; gradients clipped to global norm ${CLIP}; no dropout, no weight
decay. ${(meta.step * BATCH * meta.config.blockSize).toLocaleString('en')} tokens seen
(${((meta.step * BATCH * meta.config.blockSize) / trainTokens).toFixed(1)} epochs).
Wall time of the training steps: **${(meta.elapsedS / 60).toFixed(1)} min** (${((meta.elapsedS / meta.step) * 1000).toFixed(0)} ms per step).

Loss in nats per token (train: mean over the last ${LOG_EVERY} batches before their update;
val: the first ${QUICK_VAL_WINDOWS} validation windows):

| step | learning rate | train | val | seconds |
| ---: | ---: | ---: | ---: | ---: |
${table}

## Results (the shipped float16 weights)
Each text is cut into windows of ${meta.config.blockSize} tokens overlapping by one token, so every token
but the first is predicted once, from up to ${meta.config.blockSize - 1} tokens before it.

| text | tokens | nats / token | nats / character |
| --- | ---: | ---: | ---: |
| validation (all four novels' last 5 %) | ${val16.rows.reduce((s, r) => s + r.tokens, 0).toLocaleString('en')} | ${val16.perToken.toFixed(4)} | ${val16.perChar.toFixed(4)} |
${held.rows.map((r) => `| held-out ${r.title} | ${r.tokens.toLocaleString('en')} | ${r.perToken.toFixed(4)} | ${r.perChar.toFixed(4)} |`).join('\n')}
| **held-out Pride and Prejudice + Persuasion** | ${held.rows.reduce((s, r) => s + r.tokens, 0).toLocaleString('en')} | **${held.perToken.toFixed(4)}** | **${held.perChar.toFixed(4)}** |

Float32 weights before rounding to float16: validation ${val32.perToken.toFixed(4)} nats per token.
Final training loss (last ${LOG_EVERY} batches): ${fmt(last.train)}.

## Samples
Prompt, then **48 sampled tokens** (temperature 0.8, no top-k/top-p, seed ${SEED}, stream
createRng(seed, 3, i)); ${(sampledTokens / sampleS).toFixed(0)} tokens per second one passage at a time with the KV cache.

${samples.map((s) => `> ${s.replace(/\n/g, '\n> ')}`).join('\n\n')}

## Speed (measured by the script after training, on the same loaded machine)
One app generation's work: fine-tuning a copy of the base on 32 held-out passages of 64 tokens,
3 epochs at batch 16 (6 steps): ${speed.fitS.toFixed(1)} s (${speed.stepMs.toFixed(0)} ms per step); then
sampling 32 passages × 48 tokens with the KV cache, all passages in one batch: ${speed.genS.toFixed(1)} s
(${speed.tokPerS.toFixed(0)} tokens per second).
${process.env.PRETRAIN_NOTE ? `\n## Note on this run\n${process.env.PRETRAIN_NOTE}\n` : ''}`;
  writeFileSync(join(dataDir, 'TRANSFORMER-SOURCE.md'), md);
  console.log(
    `wrote transformer-base.bin (${size} bytes), TRANSFORMER-SOURCE.md; held-out ${held.perToken.toFixed(4)} nats/token, ${held.perChar.toFixed(4)} nats/char`,
  );
}

await tf.setBackend('wasm');
await tf.ready();
const args = process.argv.slice(2);
if (args.includes('--finish')) {
  await finish();
} else {
  await train(args.includes('--resume'));
  // A fresh process for the last part, so it runs the code as it is now (this one may have
  // been started before a fix to the sampling code).
  execFileSync('npx', ['tsx', fileURLToPath(import.meta.url), '--finish'], {
    stdio: 'inherit',
    cwd: root,
  });
}
