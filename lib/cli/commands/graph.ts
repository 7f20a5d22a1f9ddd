import { renderMermaid } from '../../compiler/mermaid';
import { WorkflowGraph } from '../../semantics/graph';
import type { ParsedArgs } from '../args';
import { loadValidBundle } from '../bundle';
import type { Io } from '../output';
import { selectWorkflow } from '../workflow';

export async function graphCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { bundle } = await loadValidBundle(args, io, { quietWarnings: true });
  const workflow = selectWorkflow(bundle, args);
  io.out(renderMermaid(WorkflowGraph.fromTemplate(workflow), workflow.name));
  return 0;
}
