// Which generations a filmstrip shows (the VAE's digit rows, the diffusion model's scatters).

/** Up to `count` generations from 0 to `shown`, evenly spaced, both ends included. */
export function stripGenerations(shown: number, count: number): number[] {
  if (shown + 1 <= count) return Array.from({ length: shown + 1 }, (_, g) => g);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round((i * shown) / (count - 1)));
  return [...out];
}
