// Permuting axes: out[i_perm] = x[i].
import { DType, TypedArray } from '../dtype.js';
import { stridesOf } from '../shape.js';

export function permute(x: TypedArray, shape: readonly number[], perm: readonly number[], dtype: DType): { data: TypedArray; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesOf(shape);
  const strides = perm.map((p) => inStrides[p]);
  const out = dtype.alloc(x.length);
  const ndim = outShape.length;
  if (ndim === 2) {
    const [r, c] = outShape;
    const [s0, s1] = strides;
    let o = 0;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[o++] = x[i * s0 + j * s1];
    return { data: out, shape: outShape };
  }
  const index = new Array<number>(ndim).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src];
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      src += strides[d];
      if (index[d] < outShape[d]) break;
      src -= strides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}
