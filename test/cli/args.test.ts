import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../lib/cli/args';
import { COMMANDS } from '../../lib/cli/command-table';

function parse(command: string, ...argv: string[]) {
  return parseCommandLine(command, COMMANDS.get(command)!, argv);
}

function refusal(command: string, ...argv: string[]): string {
  try {
    parse(command, ...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${command} ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('parses what the command takes; absent flags are false and lists empty', () => {
    const args = parse('run', 'b', '-w', 'W', '-e', 'a=1', '--extra-var', 'b=2', '--deny');
    expect(args).toMatchObject({
      positionals: ['b'],
      workflow: 'W',
      extraVar: ['a=1', 'b=2'],
      extraVars: undefined,
      deny: true,
      approve: false,
      json: false,
      outcome: [],
    });
  });

  it('refuses a second PATH', () => {
    expect(refusal('validate', 'a', 'b')).toBe("unexpected argument 'b': validate takes PATH");
  });

  it('requires PATH and the required options', () => {
    expect(refusal('validate')).toBe('missing PATH');
    expect(refusal('graph', 'b')).toBe('missing --workflow NAME');
  });

  it("refuses another command's option, naming the commands that take it", () => {
    expect(refusal('validate', 'b', '-e', 'x=1')).toBe(
      '-e is not an option of validate (only of run, launch)',
    );
    expect(refusal('compile', 'b', '-w', 'W', '--json')).toBe(
      '--json is not an option of compile (only of validate, simulate, run, status, nodes, resume)',
    );
  });

  it('refuses an unknown option, with a hint', () => {
    expect(refusal('validate', 'b', '--jsn')).toBe("unknown option '--jsn' (did you mean '--json'?)");
    expect(refusal('validate', 'b', '-x')).toBe("unknown option '-x'");
    expect(refusal('validate', 'b', '--constructor')).toBe("unknown option '--constructor'");
  });

  it('refuses a single-valued option given twice', () => {
    expect(refusal('compile', 'b', '-w', 'A', '--workflow', 'B')).toBe(
      '--workflow NAME may be given only once',
    );
    expect(refusal('validate', 'b', '--json', '--json')).toBe('--json may be given only once');
  });

  it('refuses a flag with a value and an option without one', () => {
    expect(refusal('validate', 'b', '--json=yes')).toMatch(/'--json' does not take an argument/);
    expect(refusal('compile', 'b', '--workflow')).toMatch(/argument missing/);
  });

  it('--help wins over any mistake', () => {
    expect(parse('compile', 'a', 'b', '--json', '--help').help).toBe(true);
  });
});
