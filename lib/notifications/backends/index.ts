import type { NotificationType } from '../../model/resources/notification-template';
import type { Backend } from './backend';
import { mattermost, rocketchat } from './chat';
import { email } from './email';
import { slack } from './slack';
import { webhook } from './webhook';

/**
 * The types Towerless delivers. The others (pagerduty, grafana, irc, twilio, awssns) are stored
 * and validated as AWX does, and their notifications are recorded as failed, saying so.
 */
export const BACKENDS: Partial<Record<NotificationType, Backend>> = {
  email,
  slack,
  webhook,
  mattermost,
  rocketchat,
};
