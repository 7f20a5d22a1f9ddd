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

const JOB_ID: Positional = { name: 'ID', description: 'a workflow job id' };
const APPROVAL_ID: Positional = {
  name: 'ID',
  description: 'a workflow approval id (the job id of the approval node)',
};

/** The options of every command that talks to a server's API. */
const SERVER = ['url', 'token'] as const;
/**
 * What reading a bundle takes: a playbook read through Ansible (docs/reading.md), and a server
 * whose definitions give what the files name but do not define.
 */
const READING = ['read-var', 'inventory', 'catalog'] as const;
/** The catalog's token, for the commands that do not talk to a server otherwise. */
const CATALOG_TOKEN = ['token'] as const;

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  [
    'validate',
    {
      summary: 'check a bundle; every error names file:line, resource, field and value; exit 1 on error',
      positionals: [PATH],
      options: ['strict', 'json', ...READING, ...CATALOG_TOKEN],
      load: async () => (await import('./commands/validate')).validateCommand,
    },
  ],
  [
    'compile',
    {
      summary: "print or write the workflow's Amazon States Language; stats on stderr",
      positionals: [PATH],
      options: ['workflow', 'out', 'strict', ...READING, ...CATALOG_TOKEN],
      required: ['workflow'],
      load: async () => (await import('./commands/compile')).compileCommand,
    },
  ],
  [
    'graph',
    {
      summary: 'print a Mermaid flowchart of the workflow',
      positionals: [PATH],
      options: ['workflow', 'strict', ...READING, ...CATALOG_TOKEN],
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
      options: ['workflow', 'outcome', 'json', 'strict', ...READING, ...CATALOG_TOKEN],
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
        ...READING,
        ...CATALOG_TOKEN,
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
      options: ['port', 'host', 'data', 'projects-root', 'public-url', 'capacity', 'capacity-adjustment'],
      load: async () => (await import('./commands/serve')).serveCommand,
    },
  ],
  [
    'apply',
    {
      summary:
        "create or update every resource of the bundle through a server's API, as the awx.awx modules " +
        'do; one line per resource (created, changed, unchanged); a second apply changes nothing',
      positionals: [PATH],
      options: [...SERVER, 'strict', ...READING],
      load: async () => (await import('./commands/apply')).applyCommand,
    },
  ],
  [
    'export',
    {
      summary:
        "the server's definitions as a native bundle (YAML), or as 'awx export' writes them (--format awx); " +
        'applying it elsewhere gives the same definitions',
      positionals: [],
      options: [...SERVER, 'format', 'out'],
      load: async () => (await import('./commands/export')).exportCommand,
    },
  ],
  [
    'launch',
    {
      summary:
        'launch a workflow job template on the server and print the workflow job id; --monitor follows ' +
        'its nodes to the end (exit 0 iff successful)',
      positionals: [{ name: 'NAME', description: 'the workflow job template, by name' }],
      options: ['extra-var', 'extra-vars', 'monitor', ...SERVER],
      load: async () => (await import('./commands/jobs')).launchCommand,
    },
  ],
  [
    'status',
    {
      summary: "a workflow job's status, start, end and elapsed time",
      positionals: [JOB_ID],
      options: ['json', ...SERVER],
      load: async () => (await import('./commands/jobs')).statusCommand,
    },
  ],
  [
    'nodes',
    {
      summary: "a workflow job's nodes: template, job id and status (dnr: will not run)",
      positionals: [JOB_ID],
      options: ['json', ...SERVER],
      load: async () => (await import('./commands/jobs')).nodesCommand,
    },
  ],
  [
    'approve',
    {
      summary: 'approve a pending workflow approval',
      positionals: [APPROVAL_ID],
      options: [...SERVER],
      load: async () => (await import('./commands/jobs')).approveCommand,
    },
  ],
  [
    'deny',
    {
      summary: 'deny a pending workflow approval',
      positionals: [APPROVAL_ID],
      options: [...SERVER],
      load: async () => (await import('./commands/jobs')).denyCommand,
    },
  ],
  [
    'cancel',
    {
      summary: 'cancel a running workflow job',
      positionals: [JOB_ID],
      options: [...SERVER],
      load: async () => (await import('./commands/jobs')).cancelCommand,
    },
  ],
  [
    'relaunch',
    {
      summary: 'launch a workflow job again, as it was launched; --monitor follows the new one',
      positionals: [JOB_ID],
      options: ['monitor', ...SERVER],
      load: async () => (await import('./commands/jobs')).relaunchCommand,
    },
  ],
  [
    'resume',
    {
      summary:
        'continue a failed workflow job in a new one that keeps the nodes that succeeded and runs the ' +
        'rest; --data DIR resumes a job of `run` on this machine, else on the server (--monitor follows it)',
      positionals: [JOB_ID],
      options: ['from', 'data', 'secrets', 'approve', 'deny', 'json', 'monitor', ...SERVER],
      load: async () => (await import('./commands/jobs')).resumeCommand,
    },
  ],
]);
