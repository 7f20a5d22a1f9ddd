import { Diagnostics } from './diagnostics';
import { FieldReader } from './field-reader';
import { readCredential } from './resources/credential';
import { readCredentialType } from './resources/credential-type';
import type { SecretStyle } from './resources/common';
import { readExecutionEnvironment } from './resources/execution-environment';
import { readInstanceGroup } from './resources/instance-group';
import { readInventory } from './resources/inventory';
import { readJobTemplate } from './resources/job-template';
import { readNotificationTemplate } from './resources/notification-template';
import { readProject } from './resources/project';
import { readSchedule } from './resources/schedule';
import { readWorkflowJobTemplate, type TemplateResolver } from './resources/workflow-job-template';
import { AWX_DEFAULTS_BASE, type ReadingBase } from './reading-base';
import {
  bundleReferences,
  definedNames,
  KIND_LABELS,
  TEMPLATE_KINDS,
  type ReferencedKind,
} from './references';
import {
  RESOURCE_KINDS,
  type Bundle,
  type CredentialType,
  type ResourceKind,
  type SourceRef,
  type UnifiedJobTemplateType,
} from './types';
import type { SourceMap } from './yaml-source';

/** One resource as written in a file, before reading: what both loaders produce. */
export interface RawEntry {
  readonly kind: ResourceKind;
  readonly raw: Record<string, unknown>;
  readonly sourceMap: SourceMap;
  readonly style: SecretStyle;
  /** Where the resource is when the source map does not place it: set on the reading base's objects. */
  readonly origin?: SourceRef;
}

export function resourceLabel(kind: ResourceKind, name: unknown): string {
  return `${KIND_LABELS[kind]} '${typeof name === 'string' ? name : '?'}'`;
}

/**
 * Reads every raw entry into the typed bundle, then what the entries name without defining from
 * the reading base (AWX's default objects, or a `--catalog` server's definitions), with a note at
 * the first reference to each: files win by name, and only what they reference (and what that
 * references in turn) is read from the base. Node templates are resolved against both, so the
 * names of every file must be known first.
 */
export function buildBundle(
  entries: readonly RawEntry[],
  diagnostics: Diagnostics,
  base: ReadingBase = AWX_DEFAULTS_BASE,
): Bundle {
  const reading = new BundleReading(entries, diagnostics, base);
  return reading.withBase(reading.read(entries));
}

type TemplateType = Exclude<UnifiedJobTemplateType, 'workflow_approval'>;
const TEMPLATE_TYPES = Object.keys(TEMPLATE_KINDS) as TemplateType[];

class BundleReading {
  /** The templates the files define, by type: a node's template is looked for here first. */
  private readonly templateNames: Record<TemplateType, Set<string>>;
  /** The custom credential types the files define, by name. */
  private readonly customTypes = new Map<string, CredentialType>();
  private readonly resolve: TemplateResolver;

  constructor(
    entries: readonly RawEntry[],
    private readonly diagnostics: Diagnostics,
    private readonly base: ReadingBase,
  ) {
    const names = (kind: ResourceKind) =>
      new Set(entries.filter((e) => e.kind === kind).map((e) => String(e.raw.name)));
    this.templateNames = {
      job_template: names('job_templates'),
      workflow_job_template: names('workflow_job_templates'),
      project: names('projects'),
      inventory_source: new Set(
        entries
          .filter((e) => e.kind === 'inventories' && Array.isArray(e.raw.inventory_sources))
          .flatMap((e) => (e.raw.inventory_sources as { name?: unknown }[]).map((s) => String(s?.name))),
      ),
    };
    this.resolve = resolverFor(this.templateNames, base);
  }

  /** The typed resources of `entries` (the files', or a part of the base). */
  read(entries: readonly RawEntry[]): Bundle {
    const readAll = <T>(kind: ResourceKind, read: (reader: FieldReader, style: SecretStyle) => T): T[] =>
      entries
        .filter((entry) => entry.kind === kind)
        .map((entry) => {
          const reader = new FieldReader(
            entry.raw,
            resourceLabel(kind, entry.raw.name),
            { diagnostics: this.diagnostics, sourceMap: entry.sourceMap },
            '',
            entry.origin,
          );
          const resource = read(reader, entry.style);
          reader.finish();
          return resource;
        });
    const credential_types = readAll('credential_types', readCredentialType);
    for (const type of credential_types)
      if (!this.customTypes.has(type.name)) this.customTypes.set(type.name, type);
    const customTypes = this.withBaseTypes(entries);
    return {
      projects: readAll('projects', readProject),
      inventories: readAll('inventories', readInventory),
      credential_types,
      credentials: readAll('credentials', (reader, style) => readCredential(reader, style, customTypes)),
      job_templates: readAll('job_templates', readJobTemplate),
      workflow_job_templates: readAll('workflow_job_templates', (r) =>
        readWorkflowJobTemplate(r, this.resolve),
      ),
      notification_templates: readAll('notification_templates', readNotificationTemplate),
      schedules: readAll('schedules', readSchedule),
      execution_environments: readAll('execution_environments', readExecutionEnvironment),
      instance_groups: readAll('instance_groups', readInstanceGroup),
    };
  }

  /**
   * The custom types the credentials of `entries` are read with: the files', and those of the
   * base they name (read here only to check the inputs; `withBase` adds them to the bundle).
   */
  private withBaseTypes(entries: readonly RawEntry[]): ReadonlyMap<string, CredentialType> {
    const types = new Map(this.customTypes);
    for (const entry of entries) {
      const name = entry.raw.credential_type;
      if (entry.kind !== 'credentials' || typeof name !== 'string' || types.has(name)) continue;
      const found = this.base.find('credential_types', name);
      if (!found) continue;
      const reader = new FieldReader(found.raw, resourceLabel('credential_types', name), {
        diagnostics: new Diagnostics(),
        sourceMap: found.sourceMap,
      });
      types.set(name, readCredentialType(reader, found.style));
    }
    return types;
  }

  /** `files` and what they name from the base, transitively. */
  withBase(files: Bundle): Bundle {
    let bundle = files;
    const pulled = new Set<RawEntry>();
    for (let part = files; ;) {
      const defined = definedNames(bundle);
      const wanted = new Set<RawEntry>();
      for (const reference of bundleReferences(part)) {
        if (reference.kinds.some((kind) => defined[kind].has(reference.name))) continue;
        const [kind] = this.base.kindsOf(reference.kinds, reference.name);
        const entry = kind && this.base.find(kind, reference.name);
        if (!entry || pulled.has(entry)) continue;
        pulled.add(entry);
        wanted.add(entry);
        // One note per object, where the files first name it; what it names in turn comes with it.
        if (part === files)
          this.diagnostics.note({
            source: reference.source,
            resource: reference.owner,
            field: reference.field,
            value: reference.name,
            message: this.base.noteFor(kind, reference.name),
          });
      }
      if (wanted.size === 0) return bundle;
      part = this.read([...wanted]);
      bundle = joined(bundle, part);
    }
  }
}

function joined(first: Bundle, second: Bundle): Bundle {
  return Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [kind, [...first[kind], ...second[kind]]]),
  ) as unknown as Bundle;
}

function* concat(...lists: Iterable<string>[]): Iterable<string> {
  for (const list of lists) yield* list;
}

function resolverFor(names: Record<TemplateType, Set<string>>, base: ReadingBase): TemplateResolver {
  // A generator: listing every name again for each unknown one would be quadratic.
  function* allNames(): Iterable<string> {
    for (const set of Object.values(names)) yield* set;
    for (const type of TEMPLATE_TYPES) yield* base.names(TEMPLATE_KINDS[type]);
  }
  const inBase = (type: TemplateType, name: string) => base.find(TEMPLATE_KINDS[type], name) !== undefined;
  return (reader, field, name, declaredType) => {
    const unknown = (kinds: readonly ReferencedKind[], candidates: Iterable<string>, more = '') =>
      reader.diagnostics.unresolved({
        source: reader.sourceOf(field),
        resource: reader.resource,
        field: reader.fieldPath(field),
        value: name,
        message: `${base.unknown(kinds, name, reader.diagnostics.didYouMean(name, candidates))}${more}`,
      });
    if (declaredType && declaredType !== 'workflow_approval') {
      const kind = TEMPLATE_KINDS[declaredType];
      if (!names[declaredType].has(name) && !inBase(declaredType, name))
        unknown([kind], concat(names[declaredType], base.names(kind)));
      return declaredType;
    }
    let matches = TEMPLATE_TYPES.filter((type) => names[type].has(name));
    if (matches.length === 0) matches = TEMPLATE_TYPES.filter((type) => inBase(type, name));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      reader.fail(
        field,
        name,
        `is ambiguous: it names a ${matches.join(' and a ').replace(/_/g, ' ')}; write {name: '${name}', type: ${matches[0]}}`,
      );
      return undefined;
    }
    // Read as a job template, the kind most nodes run, so that apply looks for one of that name.
    unknown(
      TEMPLATE_TYPES.map((type) => TEMPLATE_KINDS[type]),
      allNames(),
      `; read as a job template (write {name: '${name}', type: ...} for another kind)`,
    );
    return 'job_template';
  };
}
