import { COMMANDS, type CommandSpec } from './command-table';
import { optionLabel, optionSpec, optionSynopsis } from './options';

const WIDTH = 100;

/** Every command's synopsis and summary: for `towerless --help` and an unknown command. */
export function generalUsage(): string {
  const commands = [...COMMANDS].map(
    // The synopsis continues deeper than the summary, so that each reads as one block.
    ([name, spec]) =>
      `${synopsis(name, spec, '  ', ' '.repeat(8))}\n${wrap(spec.summary.split(' '), '      ', '      ')}`,
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
    synopsis(name, spec, 'usage: towerless ', ' '.repeat(`usage: towerless ${name} `.length)),
    '',
    wrap(spec.summary.split(' '), '', ''),
    '',
    ...rows.map(([label, description]) =>
      wrap(description.split(' '), `  ${label.padEnd(labelWidth)}  `, hanging),
    ),
  ].join('\n');
}

/** `compile PATH --workflow NAME [--out FILE] [--strict]`, its continuation lines after `indent`. */
function synopsis(name: string, spec: CommandSpec, prefix: string, indent: string): string {
  const required: readonly string[] = spec.required ?? [];
  const words = [
    ...spec.positionals.map((p) => p.name),
    ...spec.options.map((option) =>
      required.includes(option) ? optionSynopsis(option) : `[${optionSynopsis(option)}]`,
    ),
  ];
  return wrap(words, `${prefix}${name} `, indent);
}

/** Joins words into lines of at most WIDTH characters: the first after `first`, the others after `indent`. */
function wrap(words: readonly string[], first: string, indent: string): string {
  const lines: string[] = [];
  let line = first;
  let started = false; // a word follows `first` on this line: the next one needs a space
  for (const word of words) {
    if (started && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = started ? `${line} ${word}` : `${line}${word}`;
    started = true;
  }
  lines.push(line);
  return lines.join('\n');
}
