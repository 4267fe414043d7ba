// Where the worker finds the files the app ships in public/data.
import { describe, expect, it } from 'vitest';
import { dataUrl } from '../../../../src/engine/worker/dataFiles';

const WORKER_URL = 'http://app.test/assets/simulation.worker-abc123.js';

describe('dataUrl', () => {
  it('finds public/data beside assets/ in the build and at the root in dev', () => {
    expect(dataUrl('mnist-train.bin', './', WORKER_URL)).toBe(
      'http://app.test/data/mnist-train.bin',
    );
    expect(
      dataUrl('classifier.json', './', 'http://host/some/app/assets/simulation.worker-x.js'),
    ).toBe('http://host/some/app/data/classifier.json');
    expect(
      dataUrl(
        'mnist-test.bin',
        '/',
        'http://localhost:5173/src/engine/simulation.worker.ts?worker_file&type=module',
      ),
    ).toBe('http://localhost:5173/data/mnist-test.bin');
    expect(dataUrl('x.bin', '/lab/', WORKER_URL)).toBe('http://app.test/lab/data/x.bin');
  });
});
