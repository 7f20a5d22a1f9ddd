import { renderMermaid } from '../../compiler/mermaid';
import { WorkflowGraph } from '../../semantics/graph';
import type { ParsedArgs } from '../args';
import { readValidBundle } from '../reading';
import type { Io } from '../output';
import { selectWorkflow } from '../workflow';

export async function graphCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { bundle } = await readValidBundle(args, io, { quietWarnings: true, needs: 'names' });
  const workflow = selectWorkflow(bundle, args);
  io.out(renderMermaid(WorkflowGraph.fromTemplate(workflow), workflow.name));
  return 0;
}
