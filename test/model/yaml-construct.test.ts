import { describe, expect, it } from 'vitest';
import { constructYaml, parseYamlValue, YamlProblem } from '../../lib/model/yaml-construct';
import { SourceMap } from '../../lib/model/yaml-source';

function construct(text: string) {
  const sourceMap = new SourceMap();
  return { value: constructYaml(text, 'f.yml', sourceMap) as Record<string, unknown>, sourceMap };
}

function problem(text: string): YamlProblem {
  try {
    constructYaml(text, 'f.yml', new SourceMap());
  } catch (error) {
    if (error instanceof YamlProblem) return error;
    throw error;
  }
  throw new Error('no problem reported');
}

describe('YAML values (core schema, as AWX reads them)', () => {
  it('resolves plain scalars and keeps quoted and block scalars as text', () => {
    const { value } = construct(
      "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf:\ng: '1'\nh: yes\ni: 0x10\nj: |\n  text\nk: .inf\n",
    );
    expect(value).toEqual({
      a: 1,
      b: 1.5,
      c: true,
      d: null,
      e: null,
      f: null,
      g: '1',
      h: 'yes',
      i: 16,
      j: 'text\n',
      k: Infinity,
    });
  });
  it('applies core tags; other tags (Ansible !unsafe, !vault) keep the text', () => {
    const { value } = construct(
      'a: !!str 1\nb: !!int "2"\nc: !unsafe "{{ x }}"\nd: !vault |\n  $ANSIBLE_VAULT;1.1\n',
    );
    expect(value).toEqual({ a: '1', b: 2, c: '{{ x }}', d: '$ANSIBLE_VAULT;1.1\n' });
    expect(problem('a: !!int nope\n')).toMatchObject({ line: 1, message: '"nope" is not a valid !!int' });
  });
  it('marks !unsafe values as literals', () => {
    const { value, sourceMap } = construct('a: !unsafe "{{ x }}"\nb: "{{ y }}"\nl: [!unsafe "{{ z }}", w]\n');
    expect(sourceMap.isLiteral(value, 'a')).toBe(true);
    expect(sourceMap.isLiteral(value, 'b')).toBe(false);
    expect(sourceMap.isLiteral(value.l as object, 0)).toBe(true);
    expect(sourceMap.isLiteral(value.l as object, 1)).toBe(false);
  });
  it('records the line of every mapping, list and key', () => {
    const { value, sourceMap } = construct(
      '# comment\njobs:\n  - name: a\n\n    playbook: p.yml\n  - {name: b,\n     playbook: q.yml}\n',
    );
    const jobs = value.jobs as Record<string, unknown>[];
    expect(sourceMap.at(value, 'jobs')).toEqual({ file: 'f.yml', line: 2 });
    expect(sourceMap.at(jobs, 1)).toEqual({ file: 'f.yml', line: 6 });
    expect(sourceMap.at(jobs[0])).toEqual({ file: 'f.yml', line: 3 });
    expect(sourceMap.at(jobs[0], 'playbook')).toEqual({ file: 'f.yml', line: 5 });
    expect(sourceMap.at(jobs[1], 'playbook')).toEqual({ file: 'f.yml', line: 7 });
  });
  it('an empty document has no value', () => {
    expect(construct('').value).toBeUndefined();
    expect(construct('# only a comment\n').value).toBeUndefined();
    expect(construct('---\n').value).toBeNull();
  });
  it('refuses duplicate keys, complex keys and several documents, naming the line', () => {
    expect(problem('a: 1\nb: 2\na: 3\n')).toMatchObject({ line: 3, message: "duplicate key 'a'" });
    expect(problem('? [a]\n: 1\n').message).toMatch(/a mapping or list used as a key is not supported/);
    expect(problem('a: 1\n---\nb: 2\n').message).toMatch(/more than one YAML document/);
    expect(problem('a: [1\n').message).toMatch(/^YAML syntax error: /);
  });
  it('a key named __proto__ is a key, not the prototype', () => {
    const { value } = construct('__proto__: { polluted: true }\n');
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
  it('an alias shares the anchored value; one that names its own container is refused', () => {
    const { value } = construct('base: &b { limit: web }\none: *b\ntwo: *b\n');
    expect(value.one).toBe(value.base);
    expect(value.two).toEqual({ limit: 'web' });
    expect(problem('a: &a [1, *a]\n').message).toMatch(/alias \*a is inside the value it names/);
    expect(problem('a: *nope\n').message).toMatch(/alias \*nope has no anchor/);
  });
  it('text inside a field follows the same rules, without recording lines', () => {
    expect(parseYamlValue('a: [1, 2]')).toEqual({ a: [1, 2] });
    expect(() => parseYamlValue('a: 1\na: 2')).toThrow(YamlProblem);
  });
});
