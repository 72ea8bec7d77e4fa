// Misuse at run time: each case of test/misuse/cases.ts must end with exactly this
// message (or, where tsgrad accepts the input on purpose, exactly this result).
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

const table: [string, string][] = [
  ["add-no-broadcast", "RangeError: add: shapes [2] and [3] do not broadcast (dimension 0: 2 vs 3)"],
  ["grad-no-broadcast", "RangeError: add: shapes [2] and [3] do not broadcast (dimension 0: 2 vs 3)"],
  ["matmul-inner-mismatch", "RangeError: matmul: inner dimensions differ: shapes [2, 3] and [2, 3] (3 vs 2)"],
  ["reshape-size", "RangeError: reshape: cannot reshape [2, 3] (6 elements) to [4, 2]"],
  ["sum-axis-range", "RangeError: sum: axis 2 is out of range for a tensor of rank 2 (expected -2 to 1)"],
  ["transpose-perm", "RangeError: transpose: expected a permutation of 0..1, got [0, 0]"],
  ["slice-bounds", "RangeError: slice: begin [1] with size [5] is out of bounds for shape [3] (axis 0)"],
  ["gather-index", "RangeError: gather: index 7 is out of range for an axis of size 3 (expected an integer in -3..2)"],
  ["concat-shapes", "RangeError: concat: shapes [2, 3] and [2] differ off axis 0"],
  ["stack-shapes", "RangeError: stack: expected tensors of one shape, got [2] and [3]"],
  ["broadcastTo-shape", "RangeError: broadcastTo: shape [3] cannot be broadcast to [2, 2]"],
  ["expandDims-axis", "RangeError: expandDims: axis 3 is out of range for a tensor of shape [3] (expected -2 to 1)"],
  ["ragged-data", "RangeError: Tensor: ragged nested array: row [1] has length 1, expected 2"],
  ["non-numeric-data", "TypeError: Tensor: expected numbers or booleans, got string at [0]"],
  ["flat-data-shape", "RangeError: Tensor: shape [2, 2] needs 4 elements, got 3"],
  ["unknown-dtype", "TypeError: unknown dtype: expected one of float32, float64, int32, bool, got \"complex64\""],
  ["item-of-many", "RangeError: item(): expected a tensor with one element, got shape [3] (3 elements)"],
  ["dense-features", "RangeError: matmul: inner dimensions differ: shapes [2] and [3, 2] (2 vs 3)"],
  ["sin-of-int32", "no error: Tensor(shape=[2], Float32, [0.8414709568023682, 0.9092974066734314])"],
  ["add-bool", "no error: Tensor(shape=[2], Float32, [1, 3])"],
  ["mixed-float-dtypes", "no error: Tensor(shape=[2], Float64, [2, 4])"],
  ["assign-dtype", "TypeError: Parameter 'w'.assign: dtype mismatch: the Parameter is Float32, the value is Float64"],
  ["assign-shape", "RangeError: Parameter 'w'.assign: shape mismatch: the Parameter has shape [2], the value has shape [3]"],
  ["too-few-args", "TypeError: two: expected 2 input(s) (x, y), got 1"],
  ["too-many-args", "TypeError: square: expected 1 input(s) (x), got 2"],
  ["number-for-tensor", "TypeError: square: input 0 (x) must be a Tensor, got number 3"],
  ["tensor-for-number", "TypeError: scaled: input 1 (k) must be a number, got a Tensor of shape [2] (Float32)"],
  ["string-in-numbers", "TypeError: sumSquares: input 0 (xs) must be an array of numbers, got an array of length 9"],
  ["undefined-in-numbers-tail", "TypeError: sumSquares: input 0 (xs) must be an array of numbers, got an array of length 9"],
  ["number-for-numbers", "TypeError: sumSquares: input 0 (xs) must be an array of numbers, got number 3"],
  ["numbers", "no error: 2,4,6,8,10,12,14,16,18"],
  ["weights-other-network", "TsgradError: grad: weights[0] (Parameter 'u') is not a Parameter of the network differentiated by Net.construct"],
  ["weights-not-parameters", "TypeError: grad: weights[0] must be a Parameter, got a Tensor of shape [2] (Float32)"],
  ["weights-tuple-other", "TsgradError: grad: weights[0] (Parameter 'u') is not a Parameter of the network differentiated by Net.construct"],
  ["nan-input", "no error: Tensor(shape=[2], Float32, [NaN, 2])"],
  ["infinite-input", "no error: Tensor(shape=[2], Float32, [Infinity, 2])"],
  ["grad-of-uncompiled", "TsgradError: grad(square): no compiled gradient. tsgrad differentiates ahead of time: run this file with `tsgrad run`, build it with `tsgrad build`, or compile it with the tsc plugin (tsgrad/plugin) or the Vite plugin (tsgrad/vite)."],
  ["grad-non-function", "TypeError: grad: expected a Cell or a function to differentiate, got number 42"],
  ["grad-null-options", "TypeError: valueAndGrad: expected an options object { gradPosition, weights, hasAux }, got string \"all\""],
  ["int32-input", "no error: Tensor(shape=[2], Int32, [0, 0])"],
];

describe('misuse at run time', () => {
  const r = tsgrad('run', 'test/misuse/cases.ts');
  const got = new Map(r.stdout.trim().split('\n').map((l) => l.split('\t') as [string, string]));
  it('runs every case', () => {
    expect(r.status).toBe(0);
    expect([...got.keys()]).toEqual(table.map(([name]) => name));
  });
  for (const [name, message] of table) {
    it(name, () => expect(got.get(name)).toBe(message));
  }
});
