import { UserError } from '../model/user-error';
import { parseCommandLine, UsageError, type ParsedArgs } from './args';
import { ReportedError } from './bundle';
import { processIo, type Io } from './output';

const USAGE = `usage: towerless <command> [options]

commands:
  validate PATH [--strict] [--json]              check a bundle (native YAML or awx.awx task files)
  compile PATH --workflow NAME [--out FILE]      print or write the workflow's Amazon States Language
  graph PATH --workflow NAME                     print a Mermaid flowchart of the workflow
  simulate PATH --workflow NAME [--outcome ID=STATUS ...] [--json]
                                                 run the compiled state machine locally with forced
                                                 node outcomes (successful, failed, error, canceled;
                                                 approvals: approved, denied, timed_out)
  run PATH --workflow NAME [-e KEY=VALUE ...] [--extra-vars JSON] [--json]
        [--data DIR] [--secrets FILE] [--approve | --deny]
                                                 run the workflow for real: ansible-runner per node,
                                                 live progress; approvals asked on the terminal;
                                                 exit 0 iff successful. Data (store, checkouts) in
                                                 DIR (default .towerless), secrets in FILE (default
                                                 DIR/secrets.yml, mode 600)

PATH is a bundle file or folder. --strict turns what AWX refuses at save time into errors.
`;

type Command = (args: ParsedArgs, io: Io) => Promise<number>;

/** Loaded on demand: `simulate` need not load the runner, the store and their AWS clients. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate')).validateCommand,
  compile: async () => (await import('./commands/compile')).compileCommand,
  graph: async () => (await import('./commands/graph')).graphCommand,
  simulate: async () => (await import('./commands/simulate')).simulateCommand,
  run: async () => (await import('./commands/run')).runCommand,
};

/** A file the user named cannot be read or written (ENOENT, EACCES, ...): their error, not ours. */
function isFileSystemError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { path?: unknown }).path === 'string'
  );
}

/** Runs one CLI invocation; returns the exit code. User errors never print a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.err(`towerless: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const args = parseCommandLine(rest);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    return await (
      await load()
    )(args, io);
  } catch (error) {
    if (error instanceof ReportedError) return 1;
    if (error instanceof UsageError) {
      io.err(`towerless ${command}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof UserError || isFileSystemError(error)) {
      io.err(`towerless ${command}: ${(error as Error).message}`);
      return 1;
    }
    io.err(`towerless ${command}: internal error: ${(error as Error).message}`);
    if (process.env.TOWERLESS_DEBUG) io.err(String((error as Error).stack));
    return 70;
  }
}
