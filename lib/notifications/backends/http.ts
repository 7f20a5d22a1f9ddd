import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  readonly location?: string;
  readonly text: string;
}

const TIMEOUT_MS = 30_000;
/** The longest answer read; a notification only needs the status and a short reason. */
const MAX_ANSWER = 65_536;

/**
 * One HTTP request of a notification backend. node:http(s) rather than fetch: a webhook's
 * `disable_ssl_verification` (and Mattermost's, Rocket.Chat's `*_no_verify_ssl`) turns off
 * certificate checks for that one request, which fetch cannot do without a dispatcher of its own.
 * Redirects are not followed (the webhook follows AWX's own rule). Errors never quote the URL,
 * which may be a secret (an incoming-webhook URL).
 */
export function sendHttp(
  url: string,
  options: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly insecure?: boolean;
  },
): Promise<HttpAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new Error('the target URL is not a valid URL'));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return Promise.reject(new Error(`the target URL's scheme ${target.protocol} is not http or https`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: options.method,
        headers: { ...options.headers, 'Content-Length': Buffer.byteLength(options.body) },
        timeout: TIMEOUT_MS,
        ...(options.insecure ? { rejectUnauthorized: false } : {}),
      },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          if (text.length < MAX_ANSWER) text += chunk;
        });
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, location: answer.headers.location, text }),
        );
        answer.on('error', (error) => reject(new Error(`the answer broke off (${error.message})`)));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot reach ${target.protocol}//${target.host} (${error.code ?? error.message})`)),
    );
    outgoing.end(options.body);
  });
}

/** JSON headers every backend sends (AWX's get_awx_http_client_headers). */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json',
  'User-Agent': 'towerless',
};
