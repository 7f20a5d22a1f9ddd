import type { FieldReader } from '../field-reader';
import type { ExecutionEnvironment } from '../types';
import { readBase } from './common';

/** An image reference as registries take it: `[host[:port]/]path[:tag][@digest]`, no spaces. */
const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._:-][a-z0-9]+)*(?:\/[A-Za-z0-9._-]+)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

export function readExecutionEnvironment(reader: FieldReader): ExecutionEnvironment {
  const environment: ExecutionEnvironment = {
    ...readBase(reader),
    image: reader.requiredString('image'),
    pull: reader.oneOf('pull', ['', 'always', 'missing', 'never'] as const, ''),
    managed: reader.boolean('managed'),
  };
  // The registry credential is the task execution role's business on Fargate (docs/placement.md).
  reader.ignore('credential');
  if (environment.image && !IMAGE_REFERENCE.test(environment.image))
    reader.fail(
      'image',
      environment.image,
      'is not an image reference such as registry.example.com/team/runner:1.0',
    );
  return environment;
}
