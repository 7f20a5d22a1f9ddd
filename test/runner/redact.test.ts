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

  it('scrubs a secret with quotes, backslashes and non-ASCII in every form Ansible and Python print it', () => {
    const secret = 'CANARY"Q\\X-55-é';
    const redactor = new Redactor();
    redactor.add([secret]);
    const printed = [
      secret,
      JSON.stringify({ q: secret }), // debug: var=q
      JSON.stringify(JSON.stringify({ q: secret })), // a result printed inside a printed string
      JSON.stringify({ q: secret }).replace('é', '\\u00e9'), // Python json.dumps, ensure_ascii
      `['CANARY"Q\\\\X-55-é']`, // Python repr of a list holding it
    ];
    for (const text of printed) expect(redactor.text(text)).not.toMatch(/Q.{0,4}X-55/);
  });
  it('scrubs every line of a multi-line secret (stdout_lines) and each value of a JSON secret', () => {
    const key = '-----BEGIN KEY-----\nAAAAline-one-secret\nBBBBline-two-secret\n-----END KEY-----\n';
    const redactor = new Redactor();
    redactor.add([key, '{"user":"deploy","password":"inner-pass-77","port":5432}']);
    const lines = { stdout_lines: ['-----BEGIN KEY-----', 'AAAAline-one-secret', 'BBBBline-two-secret'] };
    expect(JSON.stringify(redactor.deep(lines))).not.toMatch(/line-(one|two)-secret/);
    expect(redactor.text('the password is inner-pass-77')).toBe(`the password is ${REDACTED}`);
    expect(redactor.deep({ port: 5432 })).toEqual({ port: REDACTED });
  });
});
