import type { OptionName, ParsedArgs, SingleValueOption } from './options';
import type { Io } from './output';

export type Command = (args: ParsedArgs, io: Io) => Promise<number>;

interface Positional {
  readonly name: string;
  readonly description: string;
}

/** One command: what it takes (the parser refuses anything else), what it does, and its code. */
export interface CommandSpec {
  readonly summary: string;
  /** All required, in this order. */
  readonly positionals: readonly Positional[];
  /** In usage order; every command also takes `--help`. */
  readonly options: readonly OptionName[];
  readonly required?: readonly SingleValueOption[];
  /** Loaded on demand: `simulate` need not load the runner, the store and their AWS clients. */
  readonly load: () => Promise<Command>;
}

const PATH: Positional = {
  name: 'PATH',
  description: 'a bundle file or folder: native YAML or awx.awx task files',
};

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  [
    'validate',
    {
      summary: 'check a bundle; every error names file:line, resource, field and value; exit 1 on error',
      positionals: [PATH],
      options: ['strict', 'json'],
      load: async () => (await import('./commands/validate')).validateCommand,
    },
  ],
  [
    'compile',
    {
      summary: "print or write the workflow's Amazon States Language; stats on stderr",
      positionals: [PATH],
      options: ['workflow', 'out', 'strict'],
      required: ['workflow'],
      load: async () => (await import('./commands/compile')).compileCommand,
    },
  ],
  [
    'graph',
    {
      summary: 'print a Mermaid flowchart of the workflow',
      positionals: [PATH],
      options: ['workflow', 'strict'],
      required: ['workflow'],
      load: async () => (await import('./commands/graph')).graphCommand,
    },
  ],
  [
    'simulate',
    {
      summary:
        'run the compiled state machine locally with forced node outcomes; print each node in start ' +
        'order and the workflow status; exit 0 iff successful',
      positionals: [PATH],
      options: ['workflow', 'outcome', 'json', 'strict'],
      required: ['workflow'],
      load: async () => (await import('./commands/simulate')).simulateCommand,
    },
  ],
  [
    'run',
    {
      summary:
        'run the workflow for real: ansible-runner per node, live progress, a summary table; approvals ' +
        'asked on the terminal (denied without one); Ctrl-C cancels; exit 0 iff successful',
      positionals: [PATH],
      options: [
        'workflow',
        'extra-var',
        'extra-vars',
        'json',
        'data',
        'secrets',
        'approve',
        'deny',
        'strict',
      ],
      required: ['workflow'],
      load: async () => (await import('./commands/run')).runCommand,
    },
  ],
  [
    'serve',
    {
      summary:
        'the AWX-compatible REST API on this machine, with the embedded store; the admin token comes ' +
        'from TOWERLESS_ADMIN_TOKEN, or is made and printed at the first start',
      positionals: [],
      options: ['port', 'host', 'data'],
      load: async () => (await import('./commands/serve')).serveCommand,
    },
  ],
]);
