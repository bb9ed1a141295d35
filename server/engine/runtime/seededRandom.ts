// Deterministic randomness in render mode: Math.random and crypto.getRandomValues draw from a PRNG that is
// reseeded from the frame's time at every seek, so a frame's pixels do not depend on which process renders
// it, which frames it rendered before, or how often a chunk is retried. Outside a capture (preview, probe)
// the page keeps the browser's own randomness.

/** The seed while the page loads, before the first seek. */
const LOAD_SEED = 0x9e3779b9;

/** mulberry32: small, fast, and good enough for animation noise (not for secrets). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededRandom {
  /** Reseeds from composition time (seconds): the same t gives the same sequence. */
  reseed(t: number): void;
}

export function installSeededRandom(win: Window & typeof globalThis): SeededRandom {
  let next = mulberry32(LOAD_SEED);
  win.Math.random = () => next();
  const cryptoObject = win.crypto;
  const fill = <T extends ArrayBufferView | null>(array: T): T => {
    if (!array) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
    return array;
  };
  Object.defineProperty(cryptoObject, 'getRandomValues', { value: fill, configurable: true, writable: true });
  return {
    reseed(t: number) {
      // Microseconds, so frames at any fps get distinct seeds; mixed so nearby times give unrelated sequences.
      const micros = Math.round(t * 1e6);
      next = mulberry32(Math.imul(micros ^ LOAD_SEED, 0x85ebca6b) ^ (micros >>> 16));
    },
  };
}
