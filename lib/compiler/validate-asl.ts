import aslValidator from 'asl-validator';
import type { StateMachineDefinition } from './asl';

/**
 * Every emitted definition must pass asl-validator; a failure is a compiler bug, not a user error.
 * The validator writes `QueryLanguage` into every state it visits, so it gets a copy.
 */
export function validateAsl(definition: StateMachineDefinition): void {
  const { isValid, errorsText } = aslValidator(structuredClone(definition));
  if (!isValid) throw new Error(`internal error: the compiler emitted invalid ASL: ${errorsText('; ')}`);
}
