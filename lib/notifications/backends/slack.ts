import type { Backend, OutgoingMessage } from './backend';
import { JSON_HEADERS, sendHttp } from './http';

/** The template's token; without one, the deployment's (docs/notifications.md, Slack). */
async function botToken(own: unknown, deployment: (() => Promise<string>) | undefined): Promise<string> {
  if (typeof own === 'string' && own !== '') return own;
  if (deployment) return deployment();
  throw new Error(
    'Slack Notification has no token: the template gives none, and the deployment has no Slack token',
  );
}

/**
 * Slack (AWX's SlackBackend): `chat.postMessage` with the bot `token` to each of `channels`
 * (`#name`, or `name,thread_ts` to answer in a thread), and to `webhook_url` when the
 * configuration gives an incoming webhook. The subject goes as Block Kit blocks (and as `text`,
 * the notification fallback); an approval that waits gets Approve and Deny link buttons, so the
 * reviewer decides with one click through the signed links. `hex_color` (#rgb or #rrggbb) puts
 * the blocks in a coloured attachment, as AWX colours its attachment.
 */
export const slack: Backend = async (configuration, message, { slackApiUrl, slackToken }) => {
  const content = slackContent(message, configuration.hex_color);
  let sent = 0;
  const channels = Array.isArray(configuration.channels) ? configuration.channels.map(String) : [];
  const token = channels.length > 0 ? await botToken(configuration.token, slackToken) : '';
  for (const recipient of channels) {
    const [channel, thread] = recipient.replace(/^#/, '').split(',');
    const answer = await sendHttp(`${slackApiUrl.replace(/\/+$/, '')}/chat.postMessage`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ channel, ...(thread ? { thread_ts: thread } : {}), ...content }),
    });
    const result = parsed(answer.text);
    if (answer.status >= 400 || result?.ok !== true)
      throw new Error(
        `Slack Notification unable to send ${recipient}: ${message.subject} (${String(result?.error ?? answer.status)})`,
      );
    sent++;
  }
  if (typeof configuration.webhook_url === 'string' && configuration.webhook_url !== '') {
    const answer = await sendHttp(configuration.webhook_url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(content),
    });
    if (answer.status >= 400)
      throw new Error(`Slack Notification unable to send to the incoming webhook (${answer.status})`);
    sent++;
  }
  return sent;
};

/** The message as Slack content: `text`, and its blocks (in a coloured attachment when asked). */
export function slackContent(message: OutgoingMessage, hexColor: unknown): Record<string, unknown> {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: message.subject } }];
  if (message.links)
    blocks.push({
      type: 'actions',
      elements: [
        button('Approve', message.links.approve_url, 'primary'),
        button('Deny', message.links.deny_url, 'danger'),
      ],
    });
  const color =
    typeof hexColor === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(hexColor) ? hexColor : undefined;
  return color
    ? { text: message.subject, attachments: [{ color, blocks }] }
    : { text: message.subject, blocks };
}

function button(label: string, url: string, style: 'primary' | 'danger') {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    url,
    style,
    action_id: label.toLowerCase(),
  };
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
