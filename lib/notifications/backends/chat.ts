import type { Backend } from './backend';
import { JSON_HEADERS, sendHttp } from './http';

/**
 * An incoming-webhook chat (AWX's MattermostBackend and RocketChatBackend): the subject as
 * `text`, with the optional channel, username and icon the configuration names, posted to the
 * type's URL (a secret: its path is the token).
 */
function chatBackend(type: 'mattermost' | 'rocketchat', label: string, options: readonly string[]): Backend {
  return async (configuration, message) => {
    const payload: Record<string, string> = { text: message.subject };
    for (const option of options) {
      const value = configuration[`${type}_${option}`];
      if (typeof value === 'string') payload[option] = value.trim();
    }
    const answer = await sendHttp(String(configuration[`${type}_url`]), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(payload),
      insecure: configuration[`${type}_no_verify_ssl`] === true,
    });
    if (answer.status >= 400) throw new Error(`Error sending notification ${label}: ${answer.status}`);
    return 1;
  };
}

export const mattermost = chatBackend('mattermost', 'mattermost', ['channel', 'username', 'icon_url']);
export const rocketchat = chatBackend('rocketchat', 'rocket.chat', ['username', 'icon_url']);
