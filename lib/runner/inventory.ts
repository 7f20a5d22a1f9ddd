import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Inventory, InventorySource, Vars } from '../model/types';
import { NodeRunFailure } from './failure';
import { resolveInside } from './paths';
import { supervised } from './supervisor';

const run = promisify(execFile);

/** An inventory in ansible's YAML/JSON inventory format (`all` with hosts, vars and children). */
export interface InventoryDocument {
  readonly all: { hosts: Record<string, Vars>; vars: Vars; children: Record<string, GroupDocument> };
}

interface GroupDocument {
  hosts: Record<string, Vars>;
  vars: Vars;
  children: Record<string, GroupDocument>;
}

/** The static part of an inventory definition: hosts, groups and variables. */
export function staticInventory(inventory: Inventory): InventoryDocument {
  const hosts: Record<string, Vars> = {};
  for (const host of inventory.hosts) if (host.enabled) hosts[host.name] = { ...host.variables };
  const groups: Record<string, GroupDocument> = {};
  for (const group of inventory.groups) {
    groups[group.name] = {
      hosts: Object.fromEntries(group.hosts.map((h) => [h, {}])),
      vars: { ...group.variables },
      children: {},
    };
    for (const host of group.hosts) hosts[host] ??= {};
  }
  for (const group of inventory.groups) {
    for (const child of group.children)
      if (groups[child]) groups[group.name].children[child] = { hosts: {}, vars: {}, children: {} };
  }
  return { all: { hosts, vars: { ...inventory.variables }, children: groups } };
}

/**
 * The inventory plugin configuration or path `ansible-inventory` reads for a source. Source files
 * are inside the source's project (or, without one, the projects root): never elsewhere.
 */
export function sourceArgument(
  source: InventorySource,
  projectDir: string | undefined,
  projectsRoot: string,
): { readonly path?: string; readonly config?: Vars } {
  switch (source.source) {
    case 'ec2':
      return { config: { plugin: 'amazon.aws.aws_ec2', ...source.source_vars } };
    case 'scm':
    case 'file':
    case 'script': {
      if (!projectDir && source.source === 'scm')
        throw new NodeRunFailure(`inventory source '${source.name}' needs its project checked out`);
      const root = projectDir ?? projectsRoot;
      const found = resolveInside(root, source.source_path);
      if (!found.inside)
        throw new NodeRunFailure(
          `inventory source '${source.name}': source_path '${source.source_path}' leaves ${projectDir ? 'its project' : 'the projects root'}`,
        );
      return { path: found.path };
    }
    default:
      return { config: { plugin: source.source, ...source.source_vars } };
  }
}

/**
 * Evaluates an inventory source with `ansible-inventory --list` (no shell) and converts its JSON
 * to the inventory document format, so a job can use the result as a static inventory.
 */
export async function evaluateSource(
  path: string,
  environment: Record<string, string>,
  cwd: string,
  signal: AbortSignal,
): Promise<InventoryDocument> {
  let stdout: string;
  try {
    // Under the supervisor: an inventory script is user code, and may start processes of its own.
    const command = supervised('ansible-inventory', ['-i', path, '--list'], {
      workdir: cwd,
      userUmask: true,
    });
    ({ stdout } = await run(command.file, command.args, {
      cwd: command.cwd,
      env: environment,
      maxBuffer: 64 * 1024 * 1024,
      signal,
    }));
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
      .split('\n')
      .filter((l) => l.trim())
      .slice(-1)[0];
    throw new NodeRunFailure(`ansible-inventory failed: ${stderr ?? (error as Error).message}`);
  }
  type Listed = Record<string, { hosts?: string[]; children?: string[]; vars?: Vars }> & {
    _meta?: { hostvars?: Record<string, Vars> };
  };
  let listed: Listed;
  try {
    listed = JSON.parse(stdout) as Listed;
  } catch {
    // Never the parser's message: it quotes the output, whose host vars may hold secrets.
    throw new NodeRunFailure('ansible-inventory printed something other than an inventory (JSON)');
  }
  const hostvars = listed._meta?.hostvars ?? {};
  const build = (name: string, seen: Set<string>): GroupDocument => {
    const entry = listed[name] ?? {};
    const children: Record<string, GroupDocument> = {};
    for (const child of entry.children ?? [])
      if (!seen.has(child)) children[child] = build(child, new Set([...seen, child]));
    return {
      hosts: Object.fromEntries((entry.hosts ?? []).map((h) => [h, hostvars[h] ?? {}])),
      vars: entry.vars ?? {},
      children,
    };
  };
  const all = build('all', new Set(['all']));
  return { all: { hosts: all.hosts, vars: all.vars, children: all.children } };
}
