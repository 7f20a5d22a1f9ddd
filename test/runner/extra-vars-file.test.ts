import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { extraVarsFile } from '../../lib/runner/extra-vars-file';

/** The file as Ansible's YAML 1.1 loader reads it, `!unsafe` strings marked. */
function asAnsibleReads(text: string): unknown {
  const script = `
import json, sys, yaml
class Loader(yaml.SafeLoader): pass
Loader.add_constructor('!unsafe', lambda loader, node: {'unsafe': loader.construct_scalar(node)})
print(json.dumps(yaml.load(sys.stdin.read(), Loader=Loader)))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' }));
}

describe('the extra vars file', () => {
  it('marks every string not from the template itself !unsafe, at any depth, and only strings', () => {
    const vars = { own: '{{ x }}', answer: '{{ y }}', nested: { list: ['{{ z }}', 1, true, null] } };
    expect(asAnsibleReads(extraVarsFile(vars, { own: '{{ x }}' }))).toEqual({
      own: '{{ x }}',
      answer: { unsafe: '{{ y }}' },
      nested: { list: [{ unsafe: '{{ z }}' }, 1, true, null] },
    });
  });
  it('treats a template variable overridden by another value as untrusted', () => {
    expect(asAnsibleReads(extraVarsFile({ v: '{{ a }}' }, { v: '{{ b }}' }))).toEqual({
      v: { unsafe: '{{ a }}' },
    });
  });
  it('keeps every value its JSON type under YAML 1.1 (yes, on, no, =, << stay strings)', () => {
    const vars = {
      a: 'yes',
      on: 'on',
      n: 'no',
      o: '0o17',
      e: '1e3',
      d: '2001-01-01',
      t: '~',
      i: 12,
      f: 1.5,
      b: false,
      eq: '=',
      merge: '<<',
      '=': 'a key YAML 1.1 would read as its value indicator',
    };
    expect(asAnsibleReads(extraVarsFile(vars, vars))).toEqual(vars);
  });
});
