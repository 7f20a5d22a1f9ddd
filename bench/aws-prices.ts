/**
 * AWS's published on-demand prices in US East (N. Virginia), as of 2026, in USD per unit: pure
 * data for the cost benchmark (bench/aws-cost.ts). Free tiers are left out of prices: a figure per
 * run that holds for any account. The two always-free CloudWatch allowances (not the 12-month
 * trial) are listed apart, for the idle figure. Each price names the page that publishes it.
 */
export const US_EAST_1_PRICES = {
  /** Standard workflows, per state transition ($0.025 per 1,000). https://aws.amazon.com/step-functions/pricing/ */
  stepFunctionsStandardTransition: 0.025 / 1000,
  /** Per request ($0.20 per 1M), both architectures. https://aws.amazon.com/lambda/pricing/ */
  lambdaRequest: 0.2 / 1_000_000,
  /** Per GB-second on Arm (first 7.5 billion GB-seconds a month). https://aws.amazon.com/lambda/pricing/ */
  lambdaArmGbSecond: 0.0000133334,
  /** Linux/ARM, per vCPU-hour, billed per second with a one-minute minimum. https://aws.amazon.com/fargate/pricing/ */
  fargateArmVcpuHour: 0.03238,
  /** Linux/ARM, per GB-hour. https://aws.amazon.com/fargate/pricing/ */
  fargateArmGbHour: 0.00356,
  /** On-demand, per write request unit ($0.625 per million since the November 2024 cut). https://aws.amazon.com/dynamodb/pricing/on-demand/ */
  dynamodbWriteRequestUnit: 0.625 / 1_000_000,
  /** On-demand, per read request unit ($0.125 per million). https://aws.amazon.com/dynamodb/pricing/on-demand/ */
  dynamodbReadRequestUnit: 0.125 / 1_000_000,
  /** Standard table class, per GB-month beyond the first 25 GB. https://aws.amazon.com/dynamodb/pricing/on-demand/ */
  dynamodbStorageGbMonth: 0.25,
  /** Logs ingestion (standard class), per GB. https://aws.amazon.com/cloudwatch/pricing/ */
  cloudwatchLogsIngestionGb: 0.5,
  /** Standard-resolution alarm, per alarm metric a month. https://aws.amazon.com/cloudwatch/pricing/ */
  cloudwatchAlarmMonth: 0.1,
  /** Custom dashboard a month. https://aws.amazon.com/cloudwatch/pricing/ */
  cloudwatchDashboardMonth: 3,
  /** Per secret a month. https://aws.amazon.com/secrets-manager/pricing/ */
  secretsManagerSecretMonth: 0.4,
  /** Per API call ($0.05 per 10,000). https://aws.amazon.com/secrets-manager/pricing/ */
  secretsManagerApiCall: 0.05 / 10_000,
  /** HTTP APIs, per request (first 300 million a month: $1.00 per million). https://aws.amazon.com/api-gateway/pricing/ */
  apiGatewayHttpRequest: 1 / 1_000_000,
  /** Customer managed key, per month (prorated hourly). https://aws.amazon.com/kms/pricing/ */
  kmsCustomerKeyMonth: 1,
} as const;

/** CloudWatch's always-free tier, per account a month. https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_ALWAYS_FREE = {
  alarmMetrics: 10,
  /** Dashboards of up to 50 metrics each. */
  dashboards: 3,
  dashboardMetrics: 50,
} as const;

export type PriceName = keyof typeof US_EAST_1_PRICES;
