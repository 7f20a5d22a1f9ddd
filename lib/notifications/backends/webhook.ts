import { isMapping } from '../configuration';
import type { Backend } from './backend';
import { JSON_HEADERS, sendHttp } from './http';

/** AWX's WebhookBackend.MAX_RETRIES: how many 301/307 redirects are followed. */
const MAX_REDIRECTS = 5;

/**
 * A JSON POST or PUT (AWX's WebhookBackend): the body is the rendered body parsed as JSON, `{}`
 * when it is not a JSON object (AWX's format_body); Basic auth when a username or password is
 * set; `headers` added to the JSON headers; 301 and 307 followed with the same method and body.
 */
export const webhook: Backend = async (configuration, message) => {
  const method = String(configuration.http_method).toUpperCase();
  if (method !== 'POST' && method !== 'PUT') throw new Error("HTTP method must be either 'POST' or 'PUT'.");
  const username = String(configuration.username ?? '');
  const password = String(configuration.password ?? '');
  const headers: Record<string, string> = {
    ...JSON_HEADERS,
    ...(username || password
      ? { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
      : {}),
    ...stringValues(configuration.headers),
  };
  const body = JSON.stringify(webhookBody(message.body));
  let url = String(configuration.url);
  for (let redirects = 0; ; redirects++) {
    const answer = await sendHttp(url, {
      method,
      headers,
      body,
      insecure: configuration.disable_ssl_verification === true,
    });
    if (answer.status !== 301 && answer.status !== 307) {
      if (answer.status >= 400 || answer.status < 200)
        throw new Error(`Error sending webhook notification: ${answer.status}`);
      return answer.status < 300 ? 1 : 0;
    }
    if (!answer.location) throw new Error('Webhook notification received redirect to a blank URL');
    if (redirects + 1 >= MAX_REDIRECTS)
      throw new Error(`Webhook notification max number of retries [${MAX_REDIRECTS}] exceeded.`);
    url = new URL(answer.location, url).toString();
  }
};

/** AWX's format_body: the rendered body when it parses as a JSON object, else `{}`. */
export function webhookBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return isMapping(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function stringValues(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}
