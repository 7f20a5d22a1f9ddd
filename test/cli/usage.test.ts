import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../lib/cli/command-table';
import { optionLabel } from '../../lib/cli/options';
import { commandUsage, generalUsage } from '../../lib/cli/usage';

describe('usage, derived from the command table', () => {
  it('lists every command with its synopsis, required options unbracketed', () => {
    const usage = generalUsage();
    for (const [name, spec] of COMMANDS) {
      const synopsis = [name, ...spec.positionals.map((positional) => positional.name)].join(' ');
      expect(usage).toMatch(new RegExp(`^  ${synopsis} `, 'm'));
    }
    expect(usage).toContain(
      '  compile PATH --workflow NAME [--out FILE] [--strict] [--read-var VARS ...] [--inventory PATH]\n',
    );
    expect(usage).toContain('[--outcome ID=STATUS ...]');
  });

  it("a command's usage describes each of its options, and only those", () => {
    for (const [name, spec] of COMMANDS) {
      const usage = commandUsage(name, spec);
      for (const option of [...spec.options, 'help' as const]) expect(usage).toContain(optionLabel(option));
    }
    expect(commandUsage('validate', COMMANDS.get('validate')!)).not.toContain('--workflow');
  });

  it('wraps at 100 columns', () => {
    const lines = [generalUsage(), ...[...COMMANDS].map(([n, s]) => commandUsage(n, s))]
      .join('\n')
      .split('\n');
    expect(lines.filter((line) => line.length > 100)).toEqual([]);
  });
});
