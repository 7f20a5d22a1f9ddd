import { COMMANDS, type CommandSpec } from './command-table';
import { optionLabel, optionSpec, optionSynopsis } from './options';

const WIDTH = 100;

/** Every command's synopsis and summary: for `towerless --help` and an unknown command. */
export function generalUsage(): string {
  const commands = [...COMMANDS].map(
    ([name, spec]) => `${synopsis(name, spec, '  ')}\n${wrap(spec.summary.split(' '), '      ', '      ')}`,
  );
  return [
    'usage: towerless <command> [options]',
    '',
    'commands:',
    ...commands,
    '',
    "'towerless <command> --help' describes a command's arguments and options.",
  ].join('\n');
}

/** One command's synopsis, summary, arguments and options: for `--help` and its usage errors. */
export function commandUsage(name: string, spec: CommandSpec): string {
  const rows = [
    ...spec.positionals.map((p) => [p.name, p.description]),
    ...[...spec.options, 'help' as const].map((option) => [
      optionLabel(option),
      `${optionSpec(option).description}${optionSpec(option).multiple ? ' (repeatable)' : ''}`,
    ]),
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const hanging = ' '.repeat(labelWidth + 4);
  return [
    synopsis(name, spec, 'usage: towerless '),
    '',
    wrap(spec.summary.split(' '), '', ''),
    '',
    ...rows.map(([label, description]) =>
      wrap(description.split(' '), `  ${label.padEnd(labelWidth)}  `, hanging),
    ),
  ].join('\n');
}

/** `compile PATH --workflow NAME [--out FILE] [--strict]`, wrapped under its first word. */
function synopsis(name: string, spec: CommandSpec, prefix: string): string {
  const required: readonly string[] = spec.required ?? [];
  const words = [
    ...spec.positionals.map((p) => p.name),
    ...spec.options.map((option) =>
      required.includes(option) ? optionSynopsis(option) : `[${optionSynopsis(option)}]`,
    ),
  ];
  const start = `${prefix}${name} `;
  return wrap(words, start, ' '.repeat(start.length));
}

/** Joins words into lines of at most WIDTH characters: the first after `first`, the others after `indent`. */
function wrap(words: readonly string[], first: string, indent: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of words) {
    if (line.trim() && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line === first ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}
