/** The demo's seeded randomness: the same seed gives the same district. */

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same district. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** A source of numbers in [0, 1). */
export type Rng = () => number;
/** A number drawn between `lo` and `hi`. */
export const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
/** A whole number drawn from `lo` to `hi`, both included. */
export const intBetween = (rng: Rng, lo: number, hi: number): number => Math.floor(between(rng, lo, hi + 1));
