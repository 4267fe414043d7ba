// The files the app ships in public/data, as the worker reaches them.

/**
 * Where a file of public/data is served. Vite copies public/ to the app's root and puts the
 * worker and its chunks in <root>/assets/. With an absolute base (`/` in dev) that is
 * `${base}data/…`; with the relative base './' of the build, BASE_URL stays './', which would
 * resolve against the worker's own address in assets/, so go one level up from the worker.
 */
export function dataUrl(
  name: string,
  base: string = import.meta.env.BASE_URL,
  workerUrl: string = self.location.href,
): string {
  if (base.startsWith('./') || base === '' || base === '.') {
    return new URL(`../data/${name}`, workerUrl).href;
  }
  return new URL(`${base.endsWith('/') ? base : `${base}/`}data/${name}`, workerUrl).href;
}

/** Fetches a shipped data file; a clear error names it when it cannot be had. */
export async function fetchData(name: string): Promise<ArrayBuffer> {
  const response = await fetch(dataUrl(name));
  if (!response.ok) throw new Error(`could not load ${name} (HTTP ${response.status})`);
  return response.arrayBuffer();
}
