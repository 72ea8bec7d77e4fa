// A tensor converted to another dtype. Float to int32 truncates toward zero (as NumPy's
// astype); anything to bool is "non-zero"; NaN to int32 gives 0. Not differentiable.
import { DType, bool_, dtypeOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * `x` converted to `dtype`.
 *
 * @example
 * ops.cast(x, int32)
 */
export const cast = definePrimitive({
  name: 'cast',
  math: 'out = x as dtype;  not differentiable',
  shape: 'x',
  params: ['x', 'dtype'],
  kernel: (x: TensorLike, dtype: DType | string): Tensor => {
    const t = asTensor('cast', x);
    const to = dtypeOf(dtype);
    if (to === t.dtype) return t;
    const out = to.alloc(t.size);
    if (to === bool_) for (let i = 0; i < out.length; i++) out[i] = t.data[i] !== 0 ? 1 : 0;
    else out.set(t.data);
    return Tensor.fromData(out, [...t.shape], to);
  },
  save: [],
});
