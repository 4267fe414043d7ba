// How the views draw a known real distribution in 2-D (the mixtures, the diffusion model): the
// square extent that holds it, and the density levels drawn as contours.
import { type RealDistributionName, realDistribution } from '../core/realDistributions';

export const EXTENTS: Record<RealDistributionName, [number, number]> = {
  gaussian2d: [-4, 4],
  bimodal1d: [-4.5, 4.5],
  ring8: [-3, 3],
  grid25: [-5.5, 5.5],
  spiral: [-3.3, 3.3],
};

/** Real-density levels drawn: each mode's 1σ and 2σ, and the edge of the least likely 5 %. */
export function contourLevels(name: RealDistributionName): number[] {
  const real = realDistribution(name);
  const peak = real.modeWeight / (2 * Math.PI * real.modeStd ** 2);
  return [real.tailLevel, peak * Math.exp(-2), peak * Math.exp(-0.5)].sort((a, b) => a - b);
}
