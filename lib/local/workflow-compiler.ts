import { compileWorkflow, type CompiledWorkflow } from '../compiler/compile';
import type { Bundle } from '../model/types';

/**
 * Compiles each workflow of a bundle once, on first use (nested workflows included). A resumed
 * job's own workflow is compiled with its kept nodes; the workflows it nests are not (a nested
 * node runs again whole or is kept whole), and cannot be its own (that would be recursion).
 */
export function workflowCompiler(
  bundle: Bundle,
  resume?: { readonly workflow: string; readonly kept: readonly string[] },
): (name: string) => CompiledWorkflow {
  const cache = new Map<string, CompiledWorkflow>();
  return (name) => {
    let compiled = cache.get(name);
    if (!compiled) {
      const kept = resume?.workflow === name ? new Set(resume.kept) : undefined;
      compiled = compileWorkflow(bundle, name, { kept });
      cache.set(name, compiled);
    }
    return compiled;
  };
}
