import type { State, StateMachineDefinition } from './asl';

/**
 * A cheap structural check of an emitted definition, run on every compile: each transition target
 * exists in its scope and every state is reachable. (asl-validator checks the full schema, at
 * ~100 ms a definition; this is the part a compiler bug breaks first.)
 */
export function structuralProblems(definition: StateMachineDefinition): string[] {
  const problems: string[] = [];
  const check = (startAt: string, states: Record<string, State>, scope: string) => {
    const reachable = new Set<string>();
    const pending = [startAt];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (reachable.has(name)) continue;
      const state = states[name];
      if (!state) {
        problems.push(`${scope}: transition to missing state '${name}'`);
        continue;
      }
      reachable.add(name);
      pending.push(...targets(state));
      for (const branch of (state.Branches as
        { StartAt: string; States: Record<string, State> }[] | undefined) ?? []) {
        check(branch.StartAt, branch.States, `${scope} > ${name}`);
      }
    }
    for (const name of Object.keys(states))
      if (!reachable.has(name)) problems.push(`${scope}: state '${name}' is not reachable`);
  };
  check(definition.StartAt, definition.States, 'top');
  return problems;
}

function targets(state: State): string[] {
  const next = typeof state.Next === 'string' ? [state.Next] : [];
  const choices = ((state.Choices as { Next: string }[] | undefined) ?? []).map((c) => c.Next);
  const fallback = typeof state.Default === 'string' ? [state.Default] : [];
  const catches = ((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => c.Next);
  return [...next, ...choices, ...fallback, ...catches];
}
