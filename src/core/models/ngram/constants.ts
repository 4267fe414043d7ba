// What the language model's spec, theory and code share, apart from the model's own code (so the
// spec, read by the first screen, pulls in none of it).

/** Tokens per passage: the model trains on and samples passages of this length. */
export const PASSAGE = 64;

export const SMOOTHINGS = ['none', 'addk', 'kn'] as const;
export type Smoothing = (typeof SMOOTHINGS)[number];
