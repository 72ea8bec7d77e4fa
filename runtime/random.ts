// The seeded random source: xoshiro128** (32-bit state words, exact in JavaScript on
// every machine) with Box–Muller normals, so `setSeed(n)` makes `randn`, `uniform` and
// parameter initialisation repeatable across runs and machines.

let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
let spare: number | undefined;

/** Makes every later draw repeatable. */
export function setSeed(seed: number): void {
  // splitmix32 spreads one seed over the four state words.
  let x = seed >>> 0;
  const next = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  s0 = next(); s1 = next(); s2 = next(); s3 = next();
  spare = undefined;
}
setSeed(0);

/** A uniform draw in [0, 1) with 32 bits of randomness. */
export function random(): number {
  const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
  const t = (s1 << 9) >>> 0;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
  s2 = (s2 ^ t) >>> 0;
  s3 = rotl(s3, 11);
  s0 >>>= 0; s1 >>>= 0;
  return result / 4294967296;
}

/** A standard normal draw. */
export function normal(): number {
  if (spare !== undefined) {
    const v = spare;
    spare = undefined;
    return v;
  }
  let u = 0;
  while (u === 0) u = random();
  const w = random();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * w);
  return r * Math.cos(2 * Math.PI * w);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fills `data` with uniform draws on [low, high): for parameter initialisation. */
export function fillUniform<T extends { length: number; [i: number]: number }>(data: T, low = 0, high = 1): T {
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * random();
  return data;
}

/** Fills `data` with normal draws of mean `mean` and deviation `std`. */
export function fillNormal<T extends { length: number; [i: number]: number }>(data: T, mean = 0, std = 1): T {
  for (let i = 0; i < data.length; i++) data[i] = mean + std * normal();
  return data;
}
