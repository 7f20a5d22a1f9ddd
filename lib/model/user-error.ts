/**
 * An error caused by what the user asked for (a definition, a flag, a file, a busy folder): shown
 * as its message, without a stack trace. Everything else is an internal error.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
