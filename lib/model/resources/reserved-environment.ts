/**
 * Environment variables a credential type's `env` injector may never set: the one list, used when a
 * definition is loaded and again when a node runs. A credential that could set `PATH`, `HOME` or
 * `LD_PRELOAD` would choose which programs ansible runs; one that could set `ANSIBLE_*` would
 * reconfigure Ansible itself.
 */

/** Variables the runner hands ansible-runner from its own environment (all else is withheld). */
export const RUNNER_ENVIRONMENT = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER'] as const;

/** AWX's ENV_BLOCKLIST (awx/main/constants.py): variables its own job machinery relies on. */
const AWX_BLOCKLIST = [
  'VIRTUAL_ENV',
  'PATH',
  'PYTHONPATH',
  'JOB_ID',
  'INVENTORY_ID',
  'INVENTORY_SOURCE_ID',
  'INVENTORY_UPDATE_ID',
  'AD_HOC_COMMAND_ID',
  'REST_API_URL',
  'REST_API_TOKEN',
  'MAX_EVENT_RES',
  'CALLBACK_QUEUE',
  'CALLBACK_CONNECTION',
  'CACHE',
  'JOB_CALLBACK_DEBUG',
  'INVENTORY_HOSTVARS',
  'AWX_HOST',
  'PROJECT_REVISION',
  'SUPERVISOR_CONFIG_PATH',
];

const REFUSED_NAMES: ReadonlyMap<string, string> = new Map([
  ...AWX_BLOCKLIST.map((name) => [name, 'AWX refuses it in credential injectors'] as const),
  ...RUNNER_ENVIRONMENT.map((name) => [name, 'the runner sets it for ansible'] as const),
  ['SSH_AUTH_SOCK', 'ansible-runner points it at the ssh-agent holding the machine key'],
]);

const REFUSED_PREFIXES: readonly (readonly [prefix: string, reason: string])[] = [
  ['ANSIBLE_', 'it may change how Ansible runs (AWX refuses ANSIBLE_* too)'],
  ['LC_', 'the runner sets the locale for ansible'],
  ['PYTHON', 'it changes how the Python behind ansible starts'],
  ['LD_', 'it changes which libraries every program loads'],
  ['RUNNER_', 'ansible-runner reads its settings from RUNNER_*'],
  ['TOWERLESS_', 'Towerless keeps TOWERLESS_* for itself'],
  ['AWS_CONTAINER_', "it would redirect the runner container's own AWS credentials"],
  ['ECS_', "it describes the runner's own ECS task"],
];

/** AWX's pattern for environment variable names (POSIX: letters, digits, _; no leading digit). */
const VARIABLE_NAME = /^[a-zA-Z_]+[a-zA-Z0-9_]*$/;

/**
 * Why an `env` injector may not set `name` (to follow the name in a message), or undefined when it
 * may. Names are case-sensitive, as on Linux: `path` is not `PATH`.
 */
export function injectedVariableProblem(name: string): string | undefined {
  if (!VARIABLE_NAME.test(name)) return 'is not an environment variable name (letters, digits and _)';
  const reason = REFUSED_NAMES.get(name) ?? REFUSED_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1];
  return reason && `may not be set by a credential: ${reason}`;
}
