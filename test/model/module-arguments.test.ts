import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { INVENTORY_PARTS, TOP_LEVEL_MODULES } from '../../lib/model/awx-loader';
import { MODULE_ARGUMENTS } from '../../lib/model/module-arguments';
import { tempBundle } from '../support/files';

/**
 * The table of module arguments against the awx.awx collection Ansible has installed: each alias,
 * list and mapping option of a module's argument_spec must be in it, so a collection that gains
 * an alias fails here rather than in a user's file.
 */

/** The installed awx.awx collection's modules folder, as the Python that runs Ansible finds it. */
function modulesFolder(): string {
  const python = ['/usr/bin/python3', 'python3'].find((candidate) => {
    try {
      execFileSync(candidate, ['-c', 'import ansible_collections.awx.awx'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) throw new Error('the awx.awx collection is not installed: this test reads its modules');
  const root = execFileSync(
    python,
    [
      '-c',
      "import importlib.util as u; print(list(u.find_spec('ansible_collections.awx.awx').submodule_search_locations)[0])",
    ],
    { encoding: 'utf8' },
  ).trim();
  return join(root, 'plugins/modules');
}

interface InstalledOption {
  readonly type: string;
  readonly elements?: string;
  readonly aliases: readonly string[];
}

/** A module's `argument_spec = dict(...)`: one `option=dict(...)` a line, as every awx.awx module writes it. */
function argumentSpec(module: string): Map<string, InstalledOption> {
  const text = readFileSync(join(modulesFolder(), `${module}.py`), 'utf8');
  const start = text.indexOf('argument_spec = dict(');
  expect(start, `${module}.py has an argument_spec`).toBeGreaterThan(-1);
  const block = text.slice(start, text.indexOf('\n    )', start)).split('\n').slice(1);
  const spec = new Map<string, InstalledOption>();
  for (const line of block.filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
    const match = /^\s+(\w+)=dict\((.*)\),?\s*$/.exec(line);
    expect(match, `an option of ${module}.py on one line: ${line}`).not.toBeNull();
    const [, option, body] = match!;
    const quoted = (key: string) => new RegExp(`${key}=["'](\\w+)["']`).exec(body)?.[1];
    const aliases = /aliases=\[([^\]]*)\]/.exec(body)?.[1] ?? '';
    spec.set(option, {
      type: quoted('type') ?? 'str',
      elements: quoted('elements'),
      aliases: [...aliases.matchAll(/["'](\w+)["']/g)].map((m) => m[1]),
    });
  }
  return spec;
}

/** Options of a newer awx.awx than this machine's (24.x): in the table before the collection has them. */
const NEWER_THAN_INSTALLED = new Set(['inventory input_inventories', 'inventory_source limit']);

const MODELLED = [
  ...Object.keys(TOP_LEVEL_MODULES),
  ...Object.keys(INVENTORY_PARTS),
  'workflow_job_template_node',
];

describe('the table of module arguments (lib/model/module-arguments.ts)', () => {
  it('has every module that defines a resource', () => {
    expect(Object.keys(MODULE_ARGUMENTS).sort()).toEqual([...MODELLED].sort());
  });

  it.each(MODELLED)("has every alias of %s's argument_spec, naming its option", (module) => {
    const spec = argumentSpec(module);
    const installed = [...spec].flatMap(([option, { aliases }]) => aliases.map((alias) => [alias, option]));
    expect(installed.filter(([alias, option]) => MODULE_ARGUMENTS[module].aliases[alias] !== option)).toEqual(
      [],
    );
    // And no alias the module does not have.
    expect(Object.keys(MODULE_ARGUMENTS[module].aliases).sort()).toEqual(
      installed.map(([alias]) => alias).sort(),
    );
  });

  it.each(MODELLED)("has the list and mapping options of %s's argument_spec", (module) => {
    const spec = argumentSpec(module);
    const table = MODULE_ARGUMENTS[module];
    const ofType = (type: string, elements?: string) =>
      [...spec].filter(([, o]) => o.type === type && (!elements || o.elements === elements)).map(([n]) => n);
    expect([...table.lists].sort()).toEqual(
      [
        ...ofType('list', 'str'),
        ...table.lists.filter((o) => NEWER_THAN_INSTALLED.has(`${module} ${o}`)),
      ].sort(),
    );
    expect([...table.dictLists].sort()).toEqual(ofType('list', 'dict').sort());
    expect([...table.dicts].sort()).toEqual(ofType('dict').sort());
    for (const option of table.unused)
      expect(spec.has(option) || NEWER_THAN_INSTALLED.has(`${module} ${option}`), `${module} ${option}`).toBe(
        true,
      );
  });

  it.each(MODELLED)(
    'reads every option and alias of %s, or notes it as unused: none is an unknown field',
    (module) => {
      const spec = argumentSpec(module);
      const valueOf = ({ type }: InstalledOption): unknown =>
        ({ bool: true, int: 1, float: 1, list: [], dict: {} })[type] ?? 'x';
      // What names the resource and places it: values the reader can place it with.
      const placed: Record<string, string> = {
        name: 'N',
        inventory: 'I',
        identifier: 'n',
        workflow_job_template: 'W',
      };
      const args: Record<string, unknown> = {};
      for (const [option, installed] of spec) {
        if (option === 'state' || option === 'new_name') continue;
        const value = placed[option] ?? valueOf(installed);
        for (const name of [option, ...installed.aliases]) args[name] = value;
      }
      const setup = '- awx.awx.inventory: { name: I }\n- awx.awx.workflow_job_template: { name: W }\n';
      const { diagnostics } = loadBundle(
        tempBundle({ 't.yml': `${setup}- awx.awx.${module}: ${JSON.stringify(args)}\n` }),
      );
      expect(
        diagnostics.all.map(formatDiagnostic).filter((m) => /unknown field|unknown AWX module/.test(m)),
      ).toEqual([]);
    },
  );
});
