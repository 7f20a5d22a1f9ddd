import type { ResourceKind } from './kinds';

/**
 * The fields of an AWX resource as its API reads and shows them: one table per kind
 * (lib/catalog/resources), from which the API reads request bodies, serializes records and the
 * projection builds the typed bundle. Values are stored as AWX shows them (references as integer
 * ids, variables as the text the client sent), so a client comparing what it sent with what it
 * reads back sees no difference (the awx.awx modules decide "changed" that way).
 */
export type FieldSpec =
  | {
      readonly type: 'string';
      readonly required?: boolean;
      readonly max?: number;
      readonly default?: string;
      readonly choices?: readonly string[];
      /** May be null (AWX's null=True text fields); a null given is kept. */
      readonly nullable?: boolean;
    }
  | {
      readonly type: 'integer';
      readonly min?: number;
      readonly max?: number;
      /** null: the field may be null, and is unless given. */
      readonly default: number | null;
    }
  /** A number with a fraction (AWX's FloatField). */
  | { readonly type: 'float'; readonly min?: number; readonly max?: number; readonly default: number }
  /** A null default: the field may be null (a node's prompt left unset), and is unless given. */
  | { readonly type: 'boolean'; readonly default: boolean | null }
  /** YAML or JSON text of a mapping (a mapping sent is kept as JSON text), as AWX's variables. */
  | { readonly type: 'vars' }
  /** A JSON mapping (credential inputs, notification configuration). */
  | { readonly type: 'object'; readonly nullable?: boolean }
  /** The id of another resource (one of several kinds for `unified_job_template`). */
  | {
      readonly type: 'reference';
      readonly kinds: readonly ResourceKind[];
      readonly required?: boolean;
      /**
       * The record goes with what it refers to, though it may refer to nothing (AWX's nullable
       * foreign keys with on_delete=CASCADE: a credential's organization).
       */
      readonly cascade?: boolean;
    };

export type FieldTable = Readonly<Record<string, FieldSpec>>;

/** The value a field takes when a create leaves it out. */
export function defaultValue(spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'string':
      return spec.default ?? (spec.nullable ? null : '');
    case 'integer':
    case 'float':
    case 'boolean':
      return spec.default;
    case 'vars':
      return '';
    case 'object':
      return spec.nullable ? null : {};
    case 'reference':
      return null;
  }
}
