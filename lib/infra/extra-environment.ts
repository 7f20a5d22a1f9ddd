/**
 * Variables the stack sets beyond lib/infra/function-environment.ts, to be merged into it. Like
 * that file it imports nothing, so a handler that reads it bundles no CDK code.
 */
export const EXTRA_FUNCTION_ENVIRONMENT = {
  /** The Secrets Manager secret (name or ARN) holding the Slack bot token (context `slackTokenSecret`). */
  slackTokenSecret: 'TOWERLESS_SLACK_TOKEN_SECRET',
} as const;
