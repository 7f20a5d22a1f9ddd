import { UserError } from '../errors';

/** Where the API is and the token that opens it. */
export interface Connection {
  /** The server's base URL, without a trailing slash or `/api/v2` (requests add those). */
  readonly url: string;
  readonly token: string;
}

/** No server or no token given: the message says how to give them. */
export class ConnectionSettingError extends UserError {}

/**
 * The environment variables that name a server and its token, in the order they are read: the
 * project's own, then those the awx.awx collection and the awx CLI read (docs/api.md "The API
 * client"). A token is read from the same family as the URL, so that a token meant for one server
 * is never sent to another named by a different family.
 */
const FAMILIES = [
  { host: 'TOWERLESS_HOST', token: 'TOWERLESS_TOKEN' },
  { host: 'CONTROLLER_HOST', token: 'CONTROLLER_OAUTH_TOKEN' },
  { host: 'TOWER_HOST', token: 'TOWER_OAUTH_TOKEN' },
] as const;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The one rule for finding the server: `--url`/`--token` first, else the first family of
 * environment variables whose host is set. With `--url` and no `--token`, the first token variable
 * set is used.
 */
export function resolveConnection(
  flags: { readonly url?: string; readonly token?: string },
  env: Environment = process.env,
): Connection {
  const family = flags.url === undefined ? FAMILIES.find((f) => present(env[f.host])) : undefined;
  const url = flags.url ?? (family && env[family.host]);
  if (!present(url))
    throw new ConnectionSettingError(
      `no server given: use --url URL or set ${FAMILIES.map((f) => f.host).join(', ')}`,
    );
  const tokenVariables = family ? [family.token] : FAMILIES.map((f) => f.token);
  const token = flags.token ?? tokenVariables.map((name) => env[name]).find(present);
  if (!present(token))
    throw new ConnectionSettingError(
      `no token given for ${url}: use --token TOKEN or set ${tokenVariables.join(', ')}`,
    );
  return { url: baseUrl(url, family?.host ?? '--url'), token };
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * A URL as AWX tools take it: a bare host gets `https://` (as the awx.awx collection adds it), and
 * a trailing `/` or `/api/v2/` is dropped so that either spelling of the same server works.
 */
function baseUrl(given: string, source: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given.trim() : `https://${given.trim()}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConnectionSettingError(`${source} '${given}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConnectionSettingError(`${source} '${given}': only http and https URLs are served`);
  url.search = '';
  url.hash = '';
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/api(\/v2)?$/, '');
}
