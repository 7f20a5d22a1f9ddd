/**
 * Every option of every command, in one table: the parser, the usage text and the type of the
 * parsed arguments all derive from it. A command lists the names it takes (see command-table.ts).
 */
interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable: the values collect in a list. */
  readonly multiple?: boolean;
  /** What the value stands for in the usage, e.g. `NAME`. */
  readonly value?: string;
  readonly description: string;
}

export const OPTIONS = {
  workflow: {
    type: 'string',
    short: 'w',
    value: 'NAME',
    description: 'the workflow job template, by name',
  },
  out: { type: 'string', short: 'o', value: 'FILE', description: 'write to FILE instead of stdout' },
  format: {
    type: 'string',
    value: 'FORMAT',
    description: "native (default): a native bundle, YAML; awx: what 'awx export' writes, JSON",
  },
  outcome: {
    type: 'string',
    multiple: true,
    value: 'ID=STATUS',
    description:
      "force node ID ('outer/inner' inside a nested workflow) to end STATUS: jobs successful (default), " +
      'failed, error or canceled; approvals approved (default), denied or timed_out',
  },
  from: {
    type: 'string',
    multiple: true,
    value: 'NODE',
    description: 'run this node again although it succeeded, and everything after it',
  },
  'extra-var': {
    type: 'string',
    short: 'e',
    multiple: true,
    value: 'KEY=VALUE',
    description: 'a launch variable',
  },
  'extra-vars': {
    type: 'string',
    value: 'JSON',
    description: 'launch variables: a JSON or YAML mapping, or @FILE to read it from FILE',
  },
  'read-var': {
    type: 'string',
    multiple: true,
    value: 'VARS',
    description:
      "a variable for reading through Ansible (a playbook, a task file, controller_configuration variables): what ansible-playbook's -e takes (KEY=VALUE, JSON or YAML, @FILE)",
  },
  inventory: {
    type: 'string',
    short: 'i',
    value: 'PATH',
    description: 'the inventory what is read through Ansible is written for (its group_vars and host_vars)',
  },
  catalog: {
    type: 'string',
    value: 'URL',
    description:
      "read what the files name but do not define from this AWX or Towerless server's definitions " +
      '(with --token, or TOWERLESS_TOKEN, CONTROLLER_OAUTH_TOKEN or TOWER_OAUTH_TOKEN)',
  },
  json: { type: 'boolean', description: 'print the result as one JSON document on stdout' },
  data: {
    type: 'string',
    value: 'DIR',
    description: 'keep the store, git checkouts and job logs in DIR (default .towerless)',
  },
  secrets: {
    type: 'string',
    value: 'FILE',
    description: "read credentials' secrets from FILE (default DIR/secrets.yml, mode 600)",
  },
  approve: { type: 'boolean', description: 'approve every approval node without asking' },
  deny: { type: 'boolean', description: 'deny every approval node without asking' },
  strict: { type: 'boolean', description: 'turn what AWX refuses at save time into errors' },
  port: { type: 'string', value: 'N', description: 'listen on port N (default 8052)' },
  'projects-root': {
    type: 'string',
    value: 'DIR',
    description: "the folder manual projects' local_path is in (AWX's PROJECTS_ROOT; default: here)",
  },
  capacity: {
    type: 'string',
    value: 'N',
    description: 'run jobs of at most N forks at once (default: the capacity this machine holds)',
  },
  'public-url': {
    type: 'string',
    value: 'URL',
    description:
      "the server's address as people reach it, for links in notifications (AWX's TOWER_URL_BASE; default: TOWERLESS_PUBLIC_URL, else the address it listens on)",
  },
  'capacity-adjustment': {
    type: 'string',
    value: 'X',
    description:
      "AWX's capacity_adjustment, 0 to 1: 0 (default) the smaller of CPU and memory capacity, 1 the larger",
  },
  host: {
    type: 'string',
    value: 'ADDRESS',
    description: 'listen on ADDRESS (default 127.0.0.1: this machine only)',
  },
  url: {
    type: 'string',
    value: 'URL',
    description: "the server's URL (default TOWERLESS_HOST, else CONTROLLER_HOST or TOWER_HOST)",
  },
  token: {
    type: 'string',
    value: 'TOKEN',
    description:
      'its API token (default TOWERLESS_TOKEN, else CONTROLLER_OAUTH_TOKEN or TOWER_OAUTH_TOKEN); ' +
      'the variables keep it out of the process list',
  },
  monitor: {
    type: 'boolean',
    description: "follow the workflow job's nodes until it ends; exit 0 iff it is successful",
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** Options that take one value, the only kind a command can require. */
export type SingleValueOption = {
  [K in OptionName]: (typeof OPTIONS)[K] extends { type: 'string'; multiple: true }
    ? never
    : (typeof OPTIONS)[K] extends { type: 'string' }
      ? K
      : never;
}[OptionName];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type ValueOf<Spec> = Spec extends { multiple: true }
  ? readonly string[]
  : Spec extends { type: 'boolean' }
    ? boolean
    : string | undefined;

/** The command line, parsed: `--extra-var` becomes `extraVar`; absent flags are false, lists empty. */
export type ParsedArgs = { readonly positionals: readonly string[] } & {
  readonly [K in OptionName as CamelCase<K>]: ValueOf<(typeof OPTIONS)[K]>;
};

/** An option's entry, widened to the common shape. */
export function optionSpec(name: OptionName): OptionSpec {
  return OPTIONS[name];
}

export function camelCase(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** `-w, --workflow NAME` or `    --json`: the left column of a command's option list. */
export function optionLabel(name: OptionName): string {
  const { short } = optionSpec(name);
  return `${short ? `-${short}, ` : '    '}${optionWithValue(name)}`;
}

/** `--workflow NAME`, `--outcome ID=STATUS ...`: in a synopsis and in messages. */
export function optionSynopsis(name: OptionName): string {
  return `${optionWithValue(name)}${optionSpec(name).multiple ? ' ...' : ''}`;
}

function optionWithValue(name: OptionName): string {
  const { value } = optionSpec(name);
  return value ? `--${name} ${value}` : `--${name}`;
}
