// The demo's real job, reduced for CI: a few hundred real digits, a couple of dozen steps.
// The full run (`npm run demo`) is not timed here; this checks that training works:
// the loss falls and held-out accuracy is well above chance (10%).
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

describe('fixtures/demo/mnist.ts', () => {
  it('trains on real digits: the loss falls and accuracy beats chance', () => {
    const r = tsgrad('run', 'fixtures/demo/mnist.ts', '--', '--train', '384', '--test', '200', '--epochs', '2', '--batch', '32', '--no-tfjs', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/epoch 2\/2 \[█+\] 100%  loss \d\.\d{4}  acc \d+\.\d%/);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { accuracy: number; firstLoss: number; lastLoss: number; steps: number };
    expect(result.steps).toBe(24);
    expect(result.lastLoss).toBeLessThan(result.firstLoss * 0.8);
    expect(result.accuracy).toBeGreaterThan(0.4);
  });
});
