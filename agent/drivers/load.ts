// Load that moves believably: a mean-reverting random walk (Ornstein–Uhlenbeck) per metric,
// stepped by the time elapsed, so samples drift, spike and settle rather than jump around.

/** Deterministic PRNG (mulberry32) so a seeded simulation repeats itself. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Walk {
  value: number;

  /**
   * @param mean level the walk returns to
   * @param volatility typical change per second
   * @param min/max hard bounds
   */
  constructor(
    private readonly mean: number,
    private readonly volatility: number,
    private readonly min: number,
    private readonly max: number,
    start = mean,
  ) {
    this.value = start;
  }

  step(seconds: number, random: () => number): number {
    if (seconds <= 0) return this.value;
    const pull = (this.mean - this.value) * Math.min(1, 0.15 * seconds);
    const noise = (random() - 0.5) * 2 * this.volatility * Math.sqrt(seconds);
    this.value = Math.min(this.max, Math.max(this.min, this.value + pull + noise));
    return this.value;
  }
}
