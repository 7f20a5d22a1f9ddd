import { AwxClient } from '../client/awx-client';
import { resolveConnection } from '../client/connection';
import { UsageError, type ParsedArgs } from './args';

/** A command's API client: the server of `--url`/`--token`, or the one the environment names. */
export function serverClient(args: ParsedArgs): AwxClient {
  return new AwxClient(resolveConnection({ url: args.url, token: args.token }));
}

/** The ID argument: a job's or an approval's integer id. */
export function idArgument(args: ParsedArgs): number {
  const [id] = args.positionals;
  if (!/^[1-9]\d{0,15}$/.test(id)) throw new UsageError(`ID '${id}' is not an id (a positive integer)`);
  return Number(id);
}
