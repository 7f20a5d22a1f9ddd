import { isAnsibleTemplate, onlyAnsibleReads, templatedArguments } from './ansible-only';
import type { RawEntry } from './bundle-builder';
import { ControllerConfigApplier, isMapping, type ConfigItem } from './controller-config-items';
import {
  COLLECTION_PREFIX,
  CONFIG_VARIABLE_NAMES,
  CONFIG_VARIABLES,
  UNMODELLED_VARIABLES,
  wildcardBase,
  type ConfigVariable,
} from './controller-config-format';
import { formatSource, type Diagnostics } from './diagnostics';
import { isSecretConfigurationKey } from './resources/notification-template';
import type { SourceRef } from './types';
import type { SourceMap } from './yaml-source';

type Raw = Record<string, unknown>;

/** `others`: how many more values of the same item are Jinja too (one finding says it for all). */
function jinjaNeedsRendering(others = 0, value: unknown = undefined): string {
  const more = others > 0 ? ` (as ${others} more of its values need Ansible)` : '';
  return `${onlyAnsibleReads(value)}${more}; the command line renders these variables through ansible-playbook (docs/formats.md), which must be installed; a value tagged \`!unsafe\` is kept as written`;
}

/**
 * Is this parsed file one of controller_configuration variables? Told by its shape, never its name
 * (docs/formats.md): a mapping with a variable of the collections' namespaces (`controller_...`).
 * Its other keys are the variables its Jinja uses.
 */
export function isControllerConfigDocument(value: unknown): value is Raw {
  return isMapping(value) && Object.keys(value).some((key) => COLLECTION_PREFIX.test(key));
}

/** The variables read, as Ansible rendered them for the roles (lib/reader/variables-renderer.ts). */
export interface RenderedVariables {
  readonly values: ReadonlyMap<string, unknown>;
  /** Variables Ansible could not render, with its message. */
  readonly failures: ReadonlyMap<string, string>;
  /** Where a variable no file read here sets comes from: the inventory, or `--read-var`. */
  readonly origin: SourceRef;
}

/** Where a variable is set: the last file setting it, as Ansible loads them. */
interface Definition {
  readonly document: Raw;
  readonly value: unknown;
  readonly source: SourceRef;
}

/**
 * Reads files of controller_configuration variables (docs/formats.md "controller_configuration
 * variables"): the variables Towerless reads, from every file, applied in the order of the
 * collection's dispatch role once all are read. Values with Jinja are Ansible's to render: without
 * `rendered` they are refused, marked for the command line to render them through Ansible; with
 * `rendered`, Ansible's values are read in their place.
 */
export class ControllerConfigReader {
  private readonly definitions = new Map<string, Definition>();
  /** Items read so far, for the resource limit (docs/input-limits.md). */
  itemsRead = 0;

  constructor(
    private readonly sourceMap: SourceMap,
    private readonly diagnostics: Diagnostics,
    private readonly rendered?: RenderedVariables,
  ) {}

  addDocument(document: Raw, file: string): void {
    for (const [key, value] of Object.entries(document)) {
      const source = this.sourceMap.at(document, key, { file });
      const partOf = CONFIG_VARIABLE_NAMES.includes(key) ? undefined : wildcardBase(key);
      if (CONFIG_VARIABLE_NAMES.includes(key)) {
        const earlier = this.definitions.get(key);
        if (earlier)
          this.diagnostics.warning({
            source,
            field: key,
            message: `is set again: Ansible loads these files in name order (include_vars), so this value replaces the one at ${formatSource(earlier.source)}`,
          });
        this.define(key, { document, value, source });
      } else if (partOf) {
        this.define(key, { document, value, source });
        this.diagnostics.note({
          source,
          field: key,
          message: `appended to ${partOf.name}, as infra.aap_configuration's dispatch does with dispatch_include_wildcard_vars: true`,
        });
      } else if (COLLECTION_PREFIX.test(key) && Array.isArray(value)) {
        // A list none of the collections' roles reads is likely a typo of one Towerless reads.
        const unmodelled = [...UNMODELLED_VARIABLES].some((list) => key.includes(list));
        const hint = unmodelled ? '' : this.diagnostics.didYouMean(key, CONFIG_VARIABLE_NAMES);
        this.diagnostics.warning({ source, message: `${key}: not modelled, skipped${hint}` });
      }
    }
  }

  private define(name: string, definition: Definition): void {
    this.definitions.set(name, definition);
    if (Array.isArray(definition.value)) this.itemsRead += definition.value.length;
  }

  /** The resources the variables define, applied in the dispatch role's order. */
  entries(): RawEntry[] {
    const applier = new ControllerConfigApplier(
      this.sourceMap,
      this.diagnostics,
      this.rendered ? 'rendered' : 'awx',
    );
    for (const variable of CONFIG_VARIABLES)
      for (const name of [variable.name, ...this.wildcardParts(variable), variable.legacy])
        applier.apply(variable, this.items(variable, name));
    return applier.entries();
  }

  /** The variable's wildcard parts (`wildcardBase`), in the order Ansible holds them. */
  private wildcardParts(variable: ConfigVariable): string[] {
    const names = this.rendered
      ? [...this.rendered.values.keys(), ...this.rendered.failures.keys()]
      : [...this.definitions.keys()];
    return [...new Set(names)].filter((name) => wildcardBase(name) === variable);
  }

  /** The items of one variable: its list, each item a mapping; what needs Ansible left out. */
  private items(variable: ConfigVariable, name: string): ConfigItem[] {
    const written = this.definitions.get(name);
    const read = this.rendered
      ? this.renderedValue(this.rendered, name, written)
      : written && this.writtenValue(name, written);
    if (!read) return [];
    const { value, source } = read;
    if (!Array.isArray(value)) {
      this.diagnostics.error({
        source,
        field: name,
        value,
        message: `must be a list of ${variable.items.label}s: the ${variable.role} role applies each item`,
      });
      return [];
    }
    return value.flatMap((item, index) => {
      const path = `${name}[${index}]`;
      const at = this.sourceMap.at(value, index, source);
      if (!isMapping(item)) {
        if (!this.rendered && isAnsibleTemplate(item) && !this.sourceMap.isLiteral(value, index))
          this.diagnostics.needsAnsible(
            { source: at, field: path, value: item, message: jinjaNeedsRendering() },
            'render',
          );
        else
          this.diagnostics.error({
            source: at,
            field: path,
            value: item,
            message: `must be a mapping: the fields of a ${variable.items.label}`,
          });
        return [];
      }
      if (!this.rendered && this.needsRendering(variable, item, path)) return [];
      return [{ item, path, file: source.file }];
    });
  }

  /** A variable as its file holds it; a value that is Jinja as a whole is Ansible's to render. */
  private writtenValue(name: string, written: Definition): { value: unknown; source: SourceRef } | undefined {
    const { document, value, source } = written;
    if (isAnsibleTemplate(value) && !this.sourceMap.isLiteral(document, name)) {
      this.diagnostics.needsAnsible({ source, field: name, value, message: jinjaNeedsRendering() }, 'render');
      return undefined;
    }
    return value === null ? undefined : { value, source };
  }

  /**
   * Ansible's value of a variable, placed where it is written (at the origin of what Ansible alone
   * defines); a variable it could not render is an error where it is set.
   */
  private renderedValue(
    rendered: RenderedVariables,
    name: string,
    written: Definition | undefined,
  ): { value: unknown; source: SourceRef } | undefined {
    const source = written?.source ?? rendered.origin;
    const failure = rendered.failures.get(name);
    if (failure !== undefined)
      this.diagnostics.error({ source, field: name, message: `Ansible could not render it: ${failure}` });
    const value = rendered.values.get(name);
    if (value === undefined || value === null) return undefined;
    this.sourceMap.placeRendered(value, written?.value, source);
    return { value, source };
  }

  /**
   * Marks the Jinja of an item Ansible would render before its role sends it to AWX (the module's
   * arguments, as the static task reader finds them: ansible-only.ts); true when there is some.
   */
  private needsRendering(variable: ConfigVariable, item: Raw, path: string): boolean {
    const notificationType = String(item.notification_type ?? 'email');
    // The roles send what Ansible rendered of the item: text AWX renders too, but for its `{  {`.
    const templated = templatedArguments(
      variable.items.module,
      item,
      this.sourceMap,
      (key) => isSecretConfigurationKey(notificationType, key),
      'rendered by Ansible',
    );
    if (templated.length === 0) return false;
    // One finding per item: the first says what to do, the others would repeat it.
    const [first, ...others] = templated;
    this.diagnostics.needsAnsible(
      {
        source: first.source,
        resource: `${variable.items.label} '${typeof item.name === 'string' ? item.name : '?'}'`,
        field: `${path}.${first.field}`,
        value: first.value,
        message: jinjaNeedsRendering(others.length, first.value),
      },
      'render',
    );
    return true;
  }
}
