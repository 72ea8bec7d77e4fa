// Which names the program needs, marked from what it must do: its result, its effects,
// its control flow. A name counts only when a statement that is itself needed reads it,
// so a value that feeds nothing but its own next iteration (a loop's accumulator whose
// sum a `grad` does not return: `s = s + t`) is dead with everything that computes it.
// Counting every read, as a plain use count does, keeps such cycles alive forever.
//
// Needed, to start with: the result; every `effect` (tape writes, adjoint updates,
// console.log); every loop's condition (a loop may not end, so it stays, unless it is
// known to end and holds nothing needed); the condition of an `if` that still holds a
// needed statement, a `break` or a `continue`.
// Then, until nothing changes: the operands of a `let` or `assign` whose name is needed,
// and the index and value of a `store` whose array is needed.

import { Atom, Stmt } from '../ir/nodes.js';
import { exprAtoms } from './simplify.js';

export function liveNames(body: readonly Stmt[], result: Atom): Set<string> {
  const live = new Set<string>();
  if (result.kind === 'var') live.add(result.name);
  for (;;) {
    const before = live.size;
    mark(body, live);
    if (live.size === before) return live;
  }
}

/** Adds what the needed statements of `stmts` read; true when the block holds any. */
function mark(stmts: readonly Stmt[], live: Set<string>): boolean {
  const use = (a: Atom) => {
    if (a.kind === 'var') live.add(a.name);
  };
  let needed = false;
  for (const s of stmts) {
    switch (s.kind) {
      case 'let':
        if (live.has(s.name)) {
          exprAtoms(s.expr).forEach(use);
          needed = true;
        }
        break;
      case 'assign':
        if (live.has(s.name)) {
          use(s.value);
          needed = true;
        }
        break;
      case 'store':
        if (live.has(s.array)) {
          use(s.index);
          use(s.value);
          needed = true;
        }
        break;
      case 'effect':
        exprAtoms(s.expr).forEach(use);
        needed = true;
        break;
      case 'break':
      case 'continue':
        needed = true;
        break;
      case 'if': {
        // Both branches are marked (no short circuit): each may hold needed statements.
        const inThen = mark(s.then, live);
        const inElse = mark(s.else, live);
        if (inThen || inElse) {
          use(s.cond);
          needed = true;
        }
        break;
      }
      case 'loop': {
        const inHead = mark(s.head, live);
        const inBody = mark(s.body, live);
        if (!s.finite || inHead || inBody) {
          use(s.cond);
          needed = true;
        }
        break;
      }
      case 'declare':
      case 'comment':
        break;
    }
  }
  return needed;
}
