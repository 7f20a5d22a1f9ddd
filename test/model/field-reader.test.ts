import { describe, expect, it } from 'vitest';
import { isJinja } from '../../lib/model/field-reader';

describe('isJinja', () => {
  it('finds {{ }} and {% %}, in order', () => {
    expect(isJinja('{{ x }}')).toBe(true);
    expect(isJinja('a {% if x %}b{% endif %}')).toBe(true);
    expect(isJinja('}} then {{')).toBe(false);
    expect(isJinja('{ {x} }')).toBe(false);
    expect(isJinja(42)).toBe(false);
  });
  it('takes linear time on long text that opens many expressions and closes none', () => {
    const text = '{{'.repeat(500_000);
    const started = performance.now();
    expect(isJinja(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
