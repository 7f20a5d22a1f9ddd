import '../../lib/local/polyfills';
import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  ECS_RUN_TASK,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT,
  START_EXECUTION_SYNC,
} from '../../lib/compiler/asl';
import { StepFunctionsError } from './step-functions-wire';

/**
 * A definition made runnable on aws-local-stepfunctions: validated as Step Functions validates it,
 * then adjusted where the interpreter's behaviour differs from the service's.
 */

export type AslState = Record<string, unknown> & { readonly Type: string };
type States = Record<string, AslState>;

/** The Task resources the twin integrates (those Towerless deploys). */
export const SUPPORTED_RESOURCES: readonly string[] = [
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT,
  ECS_RUN_TASK,
  START_EXECUTION_SYNC,
];

export interface Program {
  readonly interpreter: StateMachine;
  /** Every Task state by name: ASL state names are unique across the definition, branches included. */
  readonly tasks: ReadonlyMap<string, AslState>;
}

/** setTimeout's ceiling: the interpreter would otherwise time every Task out after 60 s. */
const NEVER_SECONDS = 2_147_483;

export function compileProgram(definition: string): Program {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch {
    throw invalid('the definition is not JSON');
  }
  validate(definition, parsed);
  const root = parsed as { States: States };
  const tasks = new Map<string, AslState>();
  forEachStateMap(root, (states) => {
    for (const [name, state] of Object.entries(states)) if (state.Type === 'Task') tasks.set(name, state);
  });
  for (const [name, state] of tasks) refuseUnsupported(name, state);
  // Validated above: the interpreter's own validation would only cost time.
  const interpreter = new StateMachine(localDefinition(root) as never, {
    validationOptions: { noValidate: true },
  });
  return { interpreter, tasks };
}

/** Definitions asl-validator accepted: it compiles its schemas on every call (~200 ms). */
const validDefinitions = new Set<string>();

function validate(definition: string, parsed: unknown): void {
  if (validDefinitions.has(definition)) return;
  // asl-validator writes `QueryLanguage` into the states it visits: it gets a copy.
  const { isValid, errorsText } = aslValidator(structuredClone(parsed) as never);
  if (!isValid) throw invalid(errorsText('; '));
  validDefinitions.add(definition);
}

function invalid(message: string): StepFunctionsError {
  return new StepFunctionsError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);
}

/** What AWS would run but the twin cannot: refused when created rather than misbehaving later. */
function refuseUnsupported(name: string, state: AslState): void {
  if (!SUPPORTED_RESOURCES.includes(state.Resource as string))
    throw invalid(`the twin does not integrate resource ${String(state.Resource)} (state ${name})`);
  for (const field of ['TimeoutSecondsPath', 'HeartbeatSecondsPath'])
    if (field in state) throw invalid(`the twin does not support ${field} (state ${name})`);
}

/** Visits the States object of the definition and of every Parallel branch and Map iterator. */
function forEachStateMap(root: { States: States }, visit: (states: States) => void): void {
  visit(root.States);
  for (const state of Object.values(root.States))
    for (const inner of nestedMachines(state)) forEachStateMap(inner, visit);
}

function nestedMachines(state: AslState): { States: States }[] {
  const branches = (state.Branches as { States: States }[] | undefined) ?? [];
  const iterator = (state.ItemProcessor ?? state.Iterator) as { States: States } | undefined;
  return iterator ? [...branches, iterator] : branches;
}

/**
 * The twin enforces TimeoutSeconds and HeartbeatSeconds itself (it must release the task's token
 * when they expire), so the interpreter's own Task timeout is pushed out of reach. A heartbeat
 * timeout is a `States.Timeout` to Retry and Catch in AWS; the interpreter matches names exactly.
 */
function localDefinition(root: { States: States }): { States: States } {
  const patchStates = (states: States): States =>
    Object.fromEntries(Object.entries(states).map(([name, state]) => [name, patchState(state)]));
  const patchState = (state: AslState): AslState => {
    const patched: AslState = { ...state };
    if (state.Type === 'Task') patched.TimeoutSeconds = NEVER_SECONDS;
    for (const field of ['Retry', 'Catch'] as const)
      if (Array.isArray(state[field])) patched[field] = (state[field] as Matcher[]).map(withHeartbeatTimeout);
    if (Array.isArray(state.Branches))
      patched.Branches = (state.Branches as { States: States }[]).map((b) => ({
        ...b,
        States: patchStates(b.States),
      }));
    for (const field of ['ItemProcessor', 'Iterator'] as const) {
      const inner = state[field] as { States: States } | undefined;
      if (inner) patched[field] = { ...inner, States: patchStates(inner.States) };
    }
    return patched;
  };
  return { ...root, States: patchStates(root.States) };
}

type Matcher = { ErrorEquals: string[] } & Record<string, unknown>;

function withHeartbeatTimeout(matcher: Matcher): Matcher {
  return matcher.ErrorEquals.includes('States.Timeout')
    ? { ...matcher, ErrorEquals: [...matcher.ErrorEquals, 'States.HeartbeatTimeout'] }
    : matcher;
}
