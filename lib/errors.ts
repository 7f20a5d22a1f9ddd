/**
 * The one error hierarchy. Every error Towerless raises on purpose is a TowerlessError; those the
 * user caused are UserErrors, shown as their message and never with a stack trace. The kinds
 * below map once to HTTP status codes and AWX's error bodies (lib/api/errors.ts) and to CLI exit
 * codes (lib/cli/main.ts); anything else is an internal error.
 */
export class TowerlessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Caused by what the user asked for: a definition, a flag, a file, a busy folder, a request. */
export class UserError extends TowerlessError {}

/**
 * Input that breaks a rule. `fields` says which fields and why, as AWX answers a 400
 * (`{"field": ["message"]}`, or a bare string where AWX answers one: `{"Error": "Cycle detected."}`);
 * without fields the message stands alone (AWX's `detail`).
 */
export class InvalidError extends UserError {
  constructor(
    message: string,
    readonly fields: Readonly<Record<string, readonly string[] | string>> = {},
  ) {
    super(message);
  }
}

/**
 * What was asked for does not exist (or is not visible to the one asking). `detail` is what the
 * API answers (AWX says only "Not found.", so as not to tell what exists); the message is for logs
 * and the CLI.
 */
export class NotFoundError extends UserError {
  constructor(
    message: string,
    readonly detail = 'Not found.',
  ) {
    super(message);
  }
}

/**
 * It exists already (a name taken, a second launch): `existing` is what is in the way, `field`
 * the field AWX names in its answer (`__all__` when no single field is to blame).
 */
export class ConflictError<T = unknown> extends UserError {
  constructor(
    message: string,
    readonly existing?: T,
    readonly field = '__all__',
  ) {
    super(message);
  }
}

/**
 * The request cannot apply to the resource's current state, which another request made or may
 * still change (a resume of a job that runs, or that another resume took): HTTP 409.
 */
export class StateConflictError extends UserError {}

/** No credentials, or credentials that are not valid. */
export class UnauthenticatedError extends UserError {}

/** Valid credentials without the role the action needs. */
export class ForbiddenError extends UserError {}

/** The action cannot apply to the resource in its current state (cancel a finished job). */
export class NotAllowedError extends UserError {}

/** Words for the system errors a user can cause or fix (a full disk, a read-only folder). */
export function systemErrorReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file',
    ENOENT: 'a part of the path cannot be created',
  };
  return (code && known[code]) ?? (error as Error).message ?? String(error);
}
