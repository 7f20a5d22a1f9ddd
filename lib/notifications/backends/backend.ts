/** What one notification sends: AWX's subject (`message`) and body, and an approval's links. */
export interface OutgoingMessage {
  readonly subject: string;
  readonly body: string;
  /** For an approval that waits: the signed links that approve or deny it. */
  readonly links?: { readonly approve_url: string; readonly deny_url: string };
}

export interface BackendOptions {
  /** Slack's Web API (default https://slack.com/api); a stand-in's in tests. */
  readonly slackApiUrl: string;
  /**
   * The deployment's own Slack bot token (context `slackTokenSecret`), for Slack templates that
   * give none: one Slack app for the whole deployment.
   */
  readonly slackToken?: () => Promise<string>;
  /**
   * Amazon SES, where the deployment sends email through it (context `sesIdentity`): email
   * templates are then delivered by SES's API, their SMTP settings unused.
   */
  readonly ses?: SesSending;
}

/** An SESv2 client and the verified identity (address or domain) messages are sent as. */
export interface SesSending {
  readonly client: { send(command: unknown): Promise<unknown> };
  readonly identityArn: string;
}

/**
 * Sends a message with a template's configuration (its secrets read, AWX's defaults filled
 * in) and answers how many messages went out (AWX's `notifications_sent`). A failure throws an
 * error whose message names no secret: it is recorded on the notification.
 */
export type Backend = (
  configuration: Readonly<Record<string, unknown>>,
  message: OutgoingMessage,
  options: BackendOptions,
) => Promise<number>;
