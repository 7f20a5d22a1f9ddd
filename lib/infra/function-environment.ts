/**
 * The environment the stack gives its Lambda functions and runner tasks, in one place: the
 * constructs (lib/infra) write these variables and the handlers (lambdas/) read them. It imports
 * nothing, so a handler that reads it bundles no CDK code.
 */
export const FUNCTION_ENVIRONMENT = {
  /** The DynamoDB table of records (lib/store/table.ts). */
  table: 'TOWERLESS_TABLE',
  /** The Secrets Manager secret holding the table's sealing key (base64, 32 bytes). */
  sealingKeySecret: 'TOWERLESS_SEALING_KEY_SECRET',
  /** The Secrets Manager secret holding the admin's API token, made by the stack. */
  adminTokenSecret: 'TOWERLESS_ADMIN_TOKEN_SECRET',
  /** JSON of lib/compiler/target.ts's DeploymentTarget: where compiled machines run their tasks. */
  deploymentTarget: 'TOWERLESS_DEPLOYMENT_TARGET',
  /** The role every compiled state machine runs as. */
  workflowRoleArn: 'TOWERLESS_WORKFLOW_ROLE_ARN',
  /** The log group compiled state machines log to (ERROR level, no execution data). */
  workflowLogGroupArn: 'TOWERLESS_WORKFLOW_LOG_GROUP_ARN',
  /** EventBridge Scheduler: the group schedules live in, the role they assume, the function they invoke. */
  schedulerGroup: 'TOWERLESS_SCHEDULER_GROUP',
  schedulerRoleArn: 'TOWERLESS_SCHEDULER_ROLE_ARN',
  schedulerTargetArn: 'TOWERLESS_SCHEDULER_TARGET_ARN',
  /** The ARN of the SES identity email notifications are sent as (context `sesIdentity`), when set. */
  sesIdentity: 'TOWERLESS_SES_IDENTITY',
  /** The public URL links start with, when a custom domain is set (else the API's own URL). */
  publicUrl: 'TOWERLESS_PUBLIC_URL',
  /** The Secrets Manager secret (name or ARN) holding the Slack bot token (context `slackTokenSecret`). */
  slackTokenSecret: 'TOWERLESS_SLACK_TOKEN_SECRET',
  /** Slack's Web API (default https://slack.com/api): for Slack-compatible servers and the tests' twin. */
  slackApiUrl: 'TOWERLESS_SLACK_API_URL',
  /** The log group runner tasks write their jobs' events to (the API reads them back). */
  runnerLogGroup: 'TOWERLESS_RUNNER_LOG_GROUP',
} as const;

export type FunctionEnvironmentKey = keyof typeof FUNCTION_ENVIRONMENT;
