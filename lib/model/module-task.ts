import type { Diagnostics } from './diagnostics';
import type { SourceRef } from './types';
import type { SourceMap } from './yaml-source';

/**
 * One awx.awx task as the static reader reads it: its module (`job_template`, the `tower_` and
 * namespace taken off), its arguments as written, and findings about them at the line of the
 * argument they are about, naming the task.
 */
export class ModuleTask {
  constructor(
    readonly module: string,
    readonly args: Readonly<Record<string, unknown>>,
    /** `task 'Deploy'`, or the module name for a task without a name. */
    readonly label: string,
    readonly source: SourceRef,
    readonly sourceMap: SourceMap,
    private readonly diagnostics: Diagnostics,
  ) {}

  /** Where argument `field` is written (`container`: a mapping inside the arguments). */
  at(field: string | number, container: object = this.args): SourceRef {
    return this.sourceMap.at(container, field, this.source);
  }

  error(field: string, value: unknown, message: string, where = this.at(field)): void {
    this.diagnostics.error({ source: where, resource: this.label, field, value, message });
  }

  warning(field: string, value: unknown, message: string, where = this.at(field)): void {
    this.diagnostics.warning({ source: where, resource: this.label, field, value, message });
  }

  /** What only Ansible can evaluate: an error, and the reason to read the file through Ansible. */
  needsAnsible(field: string, value: unknown, message: string, where = this.at(field)): void {
    this.diagnostics.needsAnsible({ source: where, resource: this.label, field, value, message });
  }
}
