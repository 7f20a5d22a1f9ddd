import { didYouMean } from '../model/diagnostics';
import { UserError } from '../errors';
import { parseCommandLine, UsageError } from './args';
import { ReportedError } from './bundle';
import { COMMANDS } from './command-table';
import { processIo, type Io } from './output';
import { commandUsage, generalUsage } from './usage';

const HELP = ['help', '--help', '-h'];

/** A file the user named cannot be read or written (ENOENT, EACCES, ...): their error, not ours. */
function isFileSystemError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { path?: unknown }).path === 'string'
  );
}

/** Runs one CLI invocation; returns the exit code. User errors never print a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(generalUsage());
    return 2;
  }
  if (HELP.includes(name)) return help(rest, io);
  const spec = COMMANDS.get(name);
  if (!spec) {
    io.err(`towerless: ${unknownCommand(name)}\n\n${generalUsage()}`);
    return 2;
  }
  try {
    const args = parseCommandLine(name, spec, rest);
    if (args.help) {
      io.out(commandUsage(name, spec));
      return 0;
    }
    return await (
      await spec.load()
    )(args, io);
  } catch (error) {
    if (error instanceof ReportedError) return 1;
    if (error instanceof UsageError) {
      io.err(`towerless ${name}: ${error.message}\n\n${commandUsage(name, spec)}`);
      return 2;
    }
    if (error instanceof UserError || isFileSystemError(error)) {
      io.err(`towerless ${name}: ${(error as Error).message}`);
      return 1;
    }
    io.err(`towerless ${name}: internal error: ${(error as Error).message}`);
    if (process.env.TOWERLESS_DEBUG) io.err(String((error as Error).stack));
    return 70;
  }
}

/** `towerless help [COMMAND]`. */
function help([name, ...extra]: readonly string[], io: Io): number {
  if (name === undefined) {
    io.out(generalUsage());
    return 0;
  }
  const spec = COMMANDS.get(name);
  if (!spec || extra.length > 0) {
    io.err(`towerless help: ${spec ? `unexpected argument '${extra[0]}'` : unknownCommand(name)}`);
    return 2;
  }
  io.out(commandUsage(name, spec));
  return 0;
}

function unknownCommand(name: string): string {
  return `unknown command '${name}'${didYouMean(name, COMMANDS.keys())}`;
}
