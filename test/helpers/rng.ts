// A seeded generator for tests (mulberry32): the same draws on every run and machine,
// independent of the runtime's own random source.

export class Rng {
  private state: number;
  constructor(seed = 1) {
    this.state = seed >>> 0;
  }
  /** Uniform on [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform on [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
  /** `size` uniform draws on [low, high) as float64. */
  array(size: number, low = -1, high = 1): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.uniform(low, high);
    return out;
  }
}
