// Parses the MNIST subset shipped in public/data (format: public/data/MNIST-SOURCE.md, written by
// scripts/make-mnist.mjs). Pure TypeScript, no tfjs, no DOM: the worker fetches the bytes, tests
// read them with fs.

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;

/** Digits decoded from one file: images row-major, one byte per pixel (0 = background). */
export interface MnistData {
  /** count × 784 pixels, uint8 0–255, digit k at [k * 784, (k + 1) * 784). */
  images: Uint8Array;
  /** count labels, 0–9. */
  labels: Uint8Array;
  count: number;
}

const HEADER_BYTES = 16;
const MAGIC = [0x43, 0x4c, 0x4d, 0x4e]; // "CLMN"
const ENCODING_RAW = 0;
const ENCODING_RLE = 1;

/** Decodes a `mnist-*.bin` file. Throws on any malformed or truncated input. */
export function parseMnist(buffer: ArrayBuffer | ArrayBufferView): MnistData {
  const bytes =
    buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length < HEADER_BYTES) throw new Error('mnist: file too short');
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('mnist: bad magic (expected "CLMN")');
  }
  if (bytes[4] !== 1) throw new Error(`mnist: unsupported version ${bytes[4]}`);
  const encoding = bytes[5];
  if (bytes[6] !== MNIST_ROWS || bytes[7] !== MNIST_COLS) {
    throw new Error(`mnist: expected 28×28 digits, found ${bytes[6]}×${bytes[7]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const payloadBytes = view.getUint32(12, true);
  if (bytes.length !== HEADER_BYTES + count + payloadBytes) {
    throw new Error(
      `mnist: length ${bytes.length} != ${HEADER_BYTES} + ${count} labels + ${payloadBytes} payload`,
    );
  }
  const labels = bytes.slice(HEADER_BYTES, HEADER_BYTES + count);
  for (let k = 0; k < count; k++) {
    if (labels[k] > 9) throw new Error(`mnist: label ${labels[k]} at ${k}`);
  }
  const payload = bytes.subarray(HEADER_BYTES + count);
  const images = new Uint8Array(count * MNIST_PIXELS);
  if (encoding === ENCODING_RAW) {
    if (payloadBytes !== count * MNIST_PIXELS) throw new Error('mnist: raw payload size');
    images.set(payload);
  } else if (encoding === ENCODING_RLE) {
    let p = 0;
    for (let k = 0; k < count; k++) {
      const end = (k + 1) * MNIST_PIXELS;
      let o = k * MNIST_PIXELS;
      while (o < end) {
        if (p >= payloadBytes) throw new Error(`mnist: payload ends inside digit ${k}`);
        const v = payload[p++];
        if (v !== 0) {
          images[o++] = v;
        } else {
          const run = payload[p++];
          if (run === undefined || run === 0 || o + run > end) {
            throw new Error(`mnist: bad zero run in digit ${k}`);
          }
          o += run; // images is zero-filled already
        }
      }
    }
    if (p !== payloadBytes) throw new Error('mnist: trailing payload bytes');
  } else {
    throw new Error(`mnist: unknown pixel encoding ${encoding}`);
  }
  return { images, labels, count };
}

/**
 * Loads and parses one file through `fetcher`, e.g. in the worker:
 * `loadMnist(() => fetch(new URL('data/mnist-train.bin', base)).then((r) => r.arrayBuffer()))`.
 */
export async function loadMnist(
  fetcher: () => Promise<ArrayBuffer | ArrayBufferView>,
): Promise<MnistData> {
  return parseMnist(await fetcher());
}

/**
 * Pixels of digits [start, start + n) as float32 in [0, 1] (byte / 255), ready for
 * `tf.tensor2d(x, [n, 784])`.
 */
export function mnistToFloat(data: MnistData, start = 0, n = data.count - start): Float32Array {
  if (start < 0 || n < 0 || start + n > data.count) throw new RangeError('mnist: range');
  const src = data.images.subarray(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
}

/** Per-class counts of `labels` (length 10). */
export function labelHistogram(labels: Uint8Array): number[] {
  const hist = new Array<number>(10).fill(0);
  for (const l of labels) hist[l]++;
  return hist;
}
