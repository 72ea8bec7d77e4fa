// The public `ops` namespace: every primitive, plus the MindSpore-style primitive
// factories (`ops.Sin()`), plus non-primitive helpers.
export * from './registry.js';
export { add } from './add.js';
export { broadcastLike } from './broadcastLike.js';
export { cos } from './cos.js';
export { mul } from './mul.js';
export { neg } from './neg.js';
export { onesLike } from './onesLike.js';
export { sin } from './sin.js';
export { sumToLike } from './sumToLike.js';
