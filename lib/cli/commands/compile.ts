import { writeFileSync } from 'node:fs';
import { compileWorkflow } from '../../compiler/compile';
import { validateAsl } from '../../compiler/validate-asl';
import type { ParsedArgs } from '../args';
import { readValidBundle } from '../reading';
import type { Io } from '../output';
import { selectWorkflow } from '../workflow';

export async function compileCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { bundle } = await readValidBundle(args, io, { quietWarnings: true, needs: 'objects' });
  const compiled = compileWorkflow(bundle, selectWorkflow(bundle, args).name);
  validateAsl(compiled.definition);
  const text = `${JSON.stringify(compiled.definition, null, 2)}\n`;
  if (args.out) writeFileSync(args.out, text);
  else io.out(text);
  const { stats } = compiled;
  io.err(
    `compiled '${compiled.workflowName}': ${stats.nodes} nodes, ${stats.states} states, ${stats.definitionBytes} bytes, ` +
      `at most ${stats.projectedHistoryEvents} history events, ${stats.syncTasks} sync tasks${args.out ? ` -> ${args.out}` : ''}`,
  );
  if (stats.exactTimingUpTo !== null)
    io.err(
      `note: '${compiled.workflowName}' is too large for AWX's exact timing at every ALL join: in parts of more than ${stats.exactTimingUpTo} nodes, nodes after a skipped ALL join may start later than in AWX, with the same outcomes (docs/semantics.md §13.4)`,
    );
  return 0;
}
