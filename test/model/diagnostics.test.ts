import { describe, expect, it } from 'vitest';
import { closest, Diagnostics, didYouMean } from '../../lib/model/diagnostics';

describe('did you mean', () => {
  it('suggests the closest name', () => {
    expect(didYouMean('Deplyo', ['Deploy', 'Notify'])).toBe(" (did you mean 'Deploy'?)");
    expect(new Diagnostics().didYouMean('Notfy', new Set(['Deploy', 'Notify']))).toBe(
      " (did you mean 'Notify'?)",
    );
  });
  it('does not compare words far longer than any name', () => {
    expect(closest('x'.repeat(1_000_000), ['x'.repeat(1_000_000)])).toBeUndefined();
  });
  it('the hints of one load have a bounded cost: past it, no more hints', () => {
    const names = new Set(Array.from({ length: 100_000 }, (_, i) => `Template ${i}`));
    const diagnostics = new Diagnostics();
    const started = performance.now();
    const hints = Array.from({ length: 10_000 }, (_, i) => diagnostics.didYouMean(`Templat ${i}`, names));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(hints[0]).toBe(" (did you mean 'Template 0'?)");
    expect(hints.at(-1)).toBe('');
  }, 20_000);
});
