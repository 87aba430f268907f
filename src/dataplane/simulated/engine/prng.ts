// A small seeded pseudo-random generator for the engine's rekey fuzz: a 32-bit Weyl sequence
// pushed through an integer mixer (xor-shift / multiply rounds). Deterministic for a seed,
// fast, four bytes of state; not for anything that needs to be unpredictable.

export const DEFAULT_SEED = 0x5eed;

/** Returns a function giving numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number = DEFAULT_SEED): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 0x1_0000_0000;
  };
}
