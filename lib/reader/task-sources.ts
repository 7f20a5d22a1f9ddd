import { relative, isAbsolute } from 'node:path';
import { INVENTORY_PARTS, TOP_LEVEL_MODULES } from '../model/awx-loader';
import type { ResourceKind, SourceRef } from '../model/types';
import type { SourceMap } from '../model/yaml-source';
import type { TaskOutcome } from './ansible-playbook-run';

const resourceKey = (kind: ResourceKind, name: unknown) => `${kind}#${String(name)}`;
const nodeKey = (workflow: unknown, identifier: unknown) => `node#${String(workflow)}#${String(identifier)}`;

/**
 * Where each resource the playbook defined is written: the task that last created or changed it.
 * A resource read through Ansible comes back from the API with no place of its own, so its
 * diagnostics point at that task (`file:line`) instead.
 */
export class TaskSources {
  private readonly sources = new Map<string, SourceRef>();

  constructor(outcomes: readonly TaskOutcome[], base: string) {
    for (const outcome of outcomes) {
      if (outcome.status !== 'ok' || !outcome.action.startsWith('awx.awx.')) continue;
      // Legacy module names (`tower_job_template`) are the same modules.
      const module = outcome.action.slice('awx.awx.'.length).replace(/^tower_/, '');
      const { args } = outcome;
      const source = taskSource(outcome.path, base);
      if (TOP_LEVEL_MODULES[module])
        this.sources.set(resourceKey(TOP_LEVEL_MODULES[module], args.name), source);
      else if (module in INVENTORY_PARTS)
        this.sources.set(resourceKey('inventories', args.inventory), source);
      else if (module === 'workflow_job_template_node')
        this.sources.set(nodeKey(args.workflow_job_template ?? args.workflow, args.identifier), source);
    }
  }

  /** Records in `sourceMap` where every resource of the exported `document` (and each node) was written. */
  record(document: Readonly<Record<string, unknown>>, sourceMap: SourceMap, fallback: SourceRef): void {
    sourceMap.record(document, fallback.file, fallback.line ?? 1, new Map());
    for (const [kind, resources] of Object.entries(document)) {
      if (!Array.isArray(resources)) continue;
      for (const raw of resources as Record<string, unknown>[]) {
        const source = this.sources.get(resourceKey(kind as ResourceKind, raw.name)) ?? fallback;
        this.place(sourceMap, raw, source);
        if (kind !== 'workflow_job_templates') continue;
        for (const node of (raw.workflow_nodes as Record<string, unknown>[] | undefined) ?? [])
          this.place(sourceMap, node, this.sources.get(nodeKey(raw.name, node.identifier)) ?? source);
      }
    }
  }

  private place(sourceMap: SourceMap, raw: object, source: SourceRef): void {
    // Every field is at the task's line: the task's arguments are all Towerless knows of it.
    const keys = new Map(Object.keys(raw).map((key) => [key, source.line ?? 1]));
    sourceMap.record(raw, source.file, source.line ?? 1, keys);
  }
}

/** `file:line` as Ansible gives it, the file shown relative to `base` (where Towerless was started). */
export function taskSource(path: string, base: string): SourceRef {
  const match = /^(.*):(\d+)$/.exec(path);
  const file = match ? match[1] : path;
  const shown = isAbsolute(file) && !relative(base, file).startsWith('..') ? relative(base, file) : file;
  return match ? { file: shown, line: Number(match[2]) } : { file: shown };
}
