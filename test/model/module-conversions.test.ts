import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ansibleDict, ansibleList, ansibleStrings, type Converted } from '../../lib/model/module-conversions';

/**
 * The conversions against Ansible's own: each value goes through ansible-core's check_type_list,
 * check_type_dict and check_type_str (module_utils/common/validation.py), and the reader's
 * conversion must give the same value, or refuse where Ansible raises.
 */
const ANSIBLE = `
import json, sys
from ansible.module_utils.common.validation import check_type_dict, check_type_list, check_type_str
checks = {'list': check_type_list, 'dict': check_type_dict, 'strings': lambda v: [check_type_str(i) for i in v]}
out = []
for kind, value in json.load(sys.stdin):
    try:
        out.append({'value': checks[kind](value)})
    except (TypeError, ValueError) as error:
        out.append({'problem': str(error)})
print(json.dumps(out))
`;

type Kind = 'list' | 'dict' | 'strings';

function throughAnsible(cases: readonly (readonly [Kind, unknown])[]): Converted[] {
  const output = execFileSync('/usr/bin/python3', ['-c', ANSIBLE], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  return JSON.parse(output) as Converted[];
}

const READER: Record<Kind, (value: never) => Converted> = {
  list: ansibleList,
  dict: ansibleDict,
  strings: ansibleStrings,
};

const CASES: readonly (readonly [Kind, unknown])[] = [
  ['list', 'b'],
  ['list', 'a,b'],
  ['list', 'a, b'],
  ['list', ',a,,'],
  ['list', ''],
  ['list', ['a', 'b']],
  ['list', 7],
  ['list', 1.5],
  ['list', 0.00001],
  ['list', 1e22],
  ['list', true],
  ['list', { a: 1 }],
  ['strings', ['a', 2, false, 2.5]],
  ['dict', { a: 1 }],
  ['dict', '{"name": "", "spec": [{"variable": "x"}]}'],
  ['dict', 'region=eu-west-1 tier="web front",x=\\"q'],
  ['dict', "a=1, b='two words' c=x=y"],
  ['dict', 'a=1 b'],
  ['dict', '---\na: 1'],
  ['dict', ''],
  ['dict', ['a']],
  ['dict', 3],
];

describe("Ansible's conversions of module arguments (lib/model/module-conversions.ts)", () => {
  it('give what ansible-core gives, and refuse what it refuses', () => {
    const expected = throughAnsible(CASES);
    CASES.forEach(([kind, value], index) => {
      const read = READER[kind](value as never);
      const wanted = expected[index];
      if ('value' in wanted) expect(read, `${kind} ${JSON.stringify(value)}`).toEqual(wanted);
      else expect('problem' in read, `${kind} ${JSON.stringify(value)} is refused`).toBe(true);
    });
  });

  it('leaves to Ansible the text only Python can evaluate, and refuses JSON nested too deep', () => {
    expect(ansibleDict("{'a': 1, 'b': True}")).toMatchObject({ needsAnsible: true });
    expect(throughAnsible([['dict', "{'a': 1, 'b': True}"]])).toEqual([{ value: { a: 1, b: true } }]);
    expect(ansibleDict(`{"a": ${'['.repeat(150)}${']'.repeat(150)}}`)).toEqual({
      problem: expect.stringContaining('levels of nested mappings and lists'),
    });
  });

  it('names mappings in a list of names as Ansible would have made them: text no AWX object is named', () => {
    expect(ansibleStrings([{ identifier: 'b' }])).toEqual({
      problem: "holds <class 'dict'> where the module takes names (text)",
    });
  });
});
