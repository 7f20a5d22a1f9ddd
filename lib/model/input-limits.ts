/**
 * How much `towerless validate` (and every command that loads a bundle) agrees to read. Below these
 * limits loading is linear in time and memory; beyond them the bundle is refused with an error
 * naming the file, the limit and the figure found, before the work gets out of hand. Each limit is
 * generous for real AWX configuration (100,000 job templates in one bundle load in seconds); the
 * values and the reasons behind them are in docs/input-limits.md.
 */
export interface InputLimit {
  readonly value: number;
  /** How the limit reads in a message, e.g. `32 MiB per file`. */
  readonly describe: (value: number) => string;
}

const MIB = 1024 * 1024;

export const INPUT_LIMITS = {
  /** Bytes of one YAML file. */
  fileBytes: { value: 32 * MIB, describe: (n) => `${formatBytes(n)} per file` },
  /** Bytes of all the YAML files of one bundle together. */
  bundleBytes: { value: 128 * MIB, describe: (n) => `${formatBytes(n)} for all the files of a bundle` },
  /** YAML files in one bundle folder (subfolders included). */
  files: { value: 10_000, describe: (n) => `${formatCount(n)} .yml/.yaml files per bundle` },
  /** Mappings and lists nested inside each other. */
  nestingDepth: { value: 100, describe: (n) => `${formatCount(n)} levels of nested mappings and lists` },
  /** Nodes one file reaches through aliases (`*name`), each alias counting everything it stands for. */
  aliasedNodes: {
    value: 1_000_000,
    describe: (n) => `${formatCount(n)} YAML nodes reached through aliases per file`,
  },
  /** Resources (native bundle entries) and awx.awx module tasks of one bundle. */
  resources: {
    value: 250_000,
    describe: (n) => `${formatCount(n)} resources and awx.awx tasks per bundle`,
  },
} as const satisfies Record<string, InputLimit>;

/** `<found>; the limit is <limit> (see docs/input-limits.md)`: the message of every refusal. */
export function beyondLimit(limit: InputLimit, found: string): string {
  return `${found}; the limit is ${limit.describe(limit.value)} (see docs/input-limits.md)`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < MIB ? [bytes / 1024, 'KiB'] : [bytes / MIB, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
