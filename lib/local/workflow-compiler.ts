import { compileWorkflow, type CompiledWorkflow } from '../compiler/compile';
import type { Bundle } from '../model/types';

/** Compiles each workflow of a bundle once, on first use (nested workflows included). */
export function workflowCompiler(bundle: Bundle): (name: string) => CompiledWorkflow {
  const cache = new Map<string, CompiledWorkflow>();
  return (name) => {
    let compiled = cache.get(name);
    if (!compiled) {
      compiled = compileWorkflow(bundle, name);
      cache.set(name, compiled);
    }
    return compiled;
  };
}
