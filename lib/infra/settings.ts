import type { Node } from 'constructs';

/** The runner's CPU architecture: Graviton (cheaper per vCPU) unless a playbook needs x86. */
export type RunnerArchitecture = 'ARM64' | 'X86_64';

/** The user's own network for runner tasks, instead of the VPC the stack makes. */
export interface ExistingNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Empty: the stack makes a security group with no ingress in that VPC. */
  readonly securityGroupIds: readonly string[];
  readonly assignPublicIp: boolean;
}

/** A custom domain for the API, with its ACM certificate (in the stack's region). */
export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** Everything a deployment may choose, read once from CDK context (`-c key=value` or cdk.json). */
export interface TowerlessSettings {
  /** Table deletion protection and RETAIN; `false` for dev stacks (the table is destroyed with them). */
  readonly deletionProtection: boolean;
  readonly network?: ExistingNetwork;
  readonly runnerArchitecture: RunnerArchitecture;
  readonly runnerCpu: number;
  readonly runnerMemory: number;
  readonly sesIdentity?: string;
  readonly slackTokenSecret?: string;
  readonly customDomain?: CustomDomain;
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly alarmEmail?: string;
}

/** The context keys, as users type them. */
export const CONTEXT_KEYS = [
  'deletionProtection',
  'vpcId',
  'subnetIds',
  'securityGroupIds',
  'assignPublicIp',
  'runnerArchitecture',
  'runnerCpu',
  'runnerMemory',
  'sesIdentity',
  'slackTokenSecret',
  'domainName',
  'certificateArn',
  'apiRateLimit',
  'apiBurstLimit',
  'alarmEmail',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Context values as given: strings from `-c`, any JSON value from cdk.json. */
export type ContextValues = Partial<Record<ContextKey, unknown>>;

/** Reads the settings from a construct's context; a wrong value stops synth with its key named. */
export function settingsFromContext(node: Node): TowerlessSettings {
  const values: ContextValues = {};
  for (const key of CONTEXT_KEYS) values[key] = node.tryGetContext(key);
  return parseSettings(values);
}

export function parseSettings(values: ContextValues): TowerlessSettings {
  const network = existingNetwork(values);
  const domainName = text(values, 'domainName');
  const certificateArn = text(values, 'certificateArn');
  if (Boolean(domainName) !== Boolean(certificateArn))
    throw new Error('context domainName and certificateArn go together: give both or neither');
  return {
    deletionProtection: flag(values, 'deletionProtection') ?? true,
    network,
    runnerArchitecture: architecture(values),
    runnerCpu: integer(values, 'runnerCpu') ?? 1024,
    runnerMemory: integer(values, 'runnerMemory') ?? 2048,
    sesIdentity: text(values, 'sesIdentity'),
    slackTokenSecret: text(values, 'slackTokenSecret'),
    customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
    apiRateLimit: integer(values, 'apiRateLimit') ?? 50,
    apiBurstLimit: integer(values, 'apiBurstLimit') ?? 100,
    alarmEmail: text(values, 'alarmEmail'),
  };
}

function existingNetwork(values: ContextValues): ExistingNetwork | undefined {
  const vpcId = text(values, 'vpcId');
  const subnetIds = list(values, 'subnetIds');
  if (!vpcId && subnetIds.length === 0) return undefined;
  if (!vpcId || subnetIds.length === 0)
    throw new Error('context vpcId and subnetIds go together: give both to use your own network');
  return {
    vpcId,
    subnetIds,
    securityGroupIds: list(values, 'securityGroupIds'),
    // The user's subnets are usually private with a NAT route; a public IP there is not needed.
    assignPublicIp: flag(values, 'assignPublicIp') ?? false,
  };
}

function architecture(values: ContextValues): RunnerArchitecture {
  const value = text(values, 'runnerArchitecture') ?? 'ARM64';
  if (value !== 'ARM64' && value !== 'X86_64')
    throw new Error(`context runnerArchitecture must be ARM64 or X86_64, not ${JSON.stringify(value)}`);
  return value;
}

function text(values: ContextValues, key: ContextKey): string | undefined {
  const value = values[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
}

/** A comma-separated string (`-c subnetIds=a,b`) or a JSON list (cdk.json). */
function list(values: ContextValues, key: ContextKey): string[] {
  const value = values[key];
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string'))
    throw new Error(`context ${key} must be a comma-separated list of ids`);
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

function flag(values: ContextValues, key: ContextKey): boolean | undefined {
  const value = values[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false`);
}

function integer(values: ContextValues, key: ContextKey): number | undefined {
  const value = values[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`context ${key} must be a positive integer, not ${JSON.stringify(value)}`);
  return number;
}
