import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from '../../lib/runner/redact';

describe('redaction', () => {
  it('scrubs secrets inside strings, keys and values without breaking structure', () => {
    const redactor = new Redactor();
    redactor.add(['1234', 'true', 's3cr3t-value', 'x']);
    const scrubbed = redactor.deep({
      n: 1234,
      b: true,
      nested: [{ 's3cr3t-value': 'the s3cr3t-value here' }],
      short: 'x marks',
    });
    expect(scrubbed).toEqual({
      n: REDACTED,
      b: REDACTED,
      nested: [{ [REDACTED]: `the ${REDACTED} here` }],
      short: 'x marks',
    });
    expect(() => JSON.stringify(scrubbed)).not.toThrow();
  });
  it('replaces a longer secret whole when it contains a shorter one', () => {
    const redactor = new Redactor();
    redactor.add(['abcd', 'abcdefgh']);
    expect(redactor.text('xx abcdefgh yy abcd')).toBe(`xx ${REDACTED} yy ${REDACTED}`);
  });
});
