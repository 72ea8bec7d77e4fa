// Assembles the matmul module: the gemm micro-kernel plus packers for A panels (mr wide) and
// B panels (nr wide). Exports `gemm`, `packA`, `packB` (gather, any strides) and, where the
// panel width is a multiple of 4, `packAContiguous`, `packBContiguous` (unit row stride).

import { I32, ModuleBuilder } from './emit.js';
import { GemmShape, defaultGemmShape, emitGemm } from './gemm-kernel.js';
import { emitPackContiguous, emitPackGather, packParamCount } from './pack-kernel.js';

export function buildMatmulModule(shape: GemmShape = defaultGemmShape): Uint8Array {
  const i32s = (n: number) => new Array<typeof I32>(n).fill(I32);
  const module = new ModuleBuilder().func('gemm', i32s(7), [], (c) => emitGemm(c, shape));
  for (const [name, w] of [['A', shape.mr], ['B', shape.nr]] as const) {
    module.func(`pack${name}`, i32s(packParamCount), [], (c) => emitPackGather(c, w));
    if (w % 4 === 0) module.func(`pack${name}Contiguous`, i32s(packParamCount), [], (c) => emitPackContiguous(c, w));
  }
  return module.toBytes();
}
