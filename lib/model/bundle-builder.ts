import type { Diagnostics } from './diagnostics';
import { FieldReader } from './field-reader';
import { readCredential } from './resources/credential';
import { readCredentialType } from './resources/credential-type';
import type { SecretStyle } from './resources/common';
import { readInventory } from './resources/inventory';
import { readJobTemplate } from './resources/job-template';
import { readNotificationTemplate } from './resources/notification-template';
import { readProject } from './resources/project';
import { readSchedule } from './resources/schedule';
import { readWorkflowJobTemplate, type TemplateResolver } from './resources/workflow-job-template';
import type { Bundle, ResourceKind, UnifiedJobTemplateType } from './types';
import type { SourceMap } from './yaml-source';

/** One resource as written in a file, before reading: what both loaders produce. */
export interface RawEntry {
  readonly kind: ResourceKind;
  readonly raw: Record<string, unknown>;
  readonly sourceMap: SourceMap;
  readonly style: SecretStyle;
}

const LABELS: Record<ResourceKind, string> = {
  projects: 'project',
  inventories: 'inventory',
  credential_types: 'credential type',
  credentials: 'credential',
  job_templates: 'job template',
  workflow_job_templates: 'workflow job template',
  notification_templates: 'notification template',
  schedules: 'schedule',
};

export function resourceLabel(kind: ResourceKind, name: unknown): string {
  return `${LABELS[kind]} '${typeof name === 'string' ? name : '?'}'`;
}

/** Reads every raw entry into the typed bundle; resolution of node templates needs all names first. */
export function buildBundle(entries: readonly RawEntry[], diagnostics: Diagnostics): Bundle {
  const readAll = <T>(kind: ResourceKind, read: (reader: FieldReader, style: SecretStyle) => T): T[] =>
    entries
      .filter((entry) => entry.kind === kind)
      .map((entry) => {
        const reader = new FieldReader(entry.raw, resourceLabel(kind, entry.raw.name), {
          diagnostics,
          sourceMap: entry.sourceMap,
        });
        const resource = read(reader, entry.style);
        reader.finish();
        return resource;
      });

  const projects = readAll('projects', readProject);
  const inventories = readAll('inventories', readInventory);
  const credential_types = readAll('credential_types', readCredentialType);
  const customTypes = new Map(credential_types.map((type) => [type.name, type]));
  const credentials = readAll('credentials', (reader, style) => readCredential(reader, style, customTypes));
  const job_templates = readAll('job_templates', readJobTemplate);
  const notification_templates = readAll('notification_templates', readNotificationTemplate);
  const templateNames: Record<Exclude<UnifiedJobTemplateType, 'workflow_approval'>, Set<string>> = {
    job_template: new Set(job_templates.map((t) => t.name)),
    workflow_job_template: new Set(
      entries.filter((e) => e.kind === 'workflow_job_templates').map((e) => String(e.raw.name)),
    ),
    project: new Set(projects.map((p) => p.name)),
    inventory_source: new Set(inventories.flatMap((i) => i.inventory_sources.map((s) => s.name))),
  };
  const workflow_job_templates = readAll('workflow_job_templates', (r) =>
    readWorkflowJobTemplate(r, resolverFor(templateNames)),
  );
  const schedules = readAll('schedules', readSchedule);
  return {
    projects,
    inventories,
    credential_types,
    credentials,
    job_templates,
    workflow_job_templates,
    notification_templates,
    schedules,
  };
}

function resolverFor(names: Record<string, Set<string>>): TemplateResolver {
  // A generator: listing every name again for each unknown one would be quadratic.
  function* allNames(): Iterable<string> {
    for (const set of Object.values(names)) yield* set;
  }
  return (reader, field, name, declaredType) => {
    if (declaredType) {
      if (names[declaredType]?.has(name)) return declaredType;
      reader.fail(
        field,
        name,
        `no ${declaredType.replace(/_/g, ' ')} named '${name}'${reader.diagnostics.didYouMean(name, names[declaredType] ?? [])}`,
      );
      return undefined;
    }
    const matches = Object.keys(names).filter((type) => names[type].has(name)) as UnifiedJobTemplateType[];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      reader.fail(
        field,
        name,
        `is ambiguous: it names a ${matches.join(' and a ').replace(/_/g, ' ')}; write {name: '${name}', type: ${matches[0]}}`,
      );
      return undefined;
    }
    reader.fail(
      field,
      name,
      `no job template, workflow job template, project or inventory source is named '${name}'${reader.diagnostics.didYouMean(name, allNames())}`,
    );
    return undefined;
  };
}
