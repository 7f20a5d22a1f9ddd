/**
 * The Step Functions wire format shared by the twin's parts: errors answered as AWS answers them,
 * and request fields read with AWS's validation errors, so the SDK raises its own exception classes.
 */

/** An error answered as `{"__type": type, "message": message}` with HTTP 400, as AWS does. */
export class StepFunctionsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export type Request = Record<string, unknown>;

export function requiredText(input: Request, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw new StepFunctionsError(
      'ValidationException',
      `1 validation error detected: '${field}' is required`,
    );
  return value;
}

export function optionalText(input: Request, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new StepFunctionsError('ValidationException', `'${field}' must be a string`);
  return value;
}

/** A JSON text field (execution input, task output), parsed; `type` is AWS's error for bad JSON. */
export function jsonText(text: string, type: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StepFunctionsError(type, `${what} is not valid JSON`);
  }
}

/** Timestamps travel as epoch seconds in AWS JSON 1.0. */
export function toWire(body: unknown): string {
  return JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}
