import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { towerlessApp } from '../../lib/infra/app';
import type { TowerlessStack } from '../../lib/infra/towerless-stack';

/** CloudFormation JSON as the template holds it. */
export type Json = unknown;

export interface Synthesized {
  /** The cloud assembly folder. */
  readonly outdir: string;
  readonly stack: TowerlessStack;
  readonly template: Template;
  readonly resources: Readonly<Record<string, { Type: string; Properties?: Record<string, Json> }>>;
}

/**
 * Synthesizes the app with `context` into a fresh folder. `Template.fromStack` runs cdk-nag's
 * AwsSolutions checks and throws on any finding not acknowledged. `bundle: false` skips the
 * esbuild bundling of the eight functions (CDK's `aws:cdk:bundling-stacks`), for a variant whose
 * assertions do not depend on the code.
 */
export function synthesize(context: Record<string, unknown> = {}, { bundle = true } = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'towerless-cdk-'));
  const { stack } = towerlessApp({
    outdir,
    context: bundle ? context : { ...context, 'aws:cdk:bundling-stacks': [] },
  });
  const template = Template.fromStack(stack);
  return { outdir, stack, template, resources: template.toJSON().Resources };
}

export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` as the template writes it. */
export function arn(service: string, resource: Json): Json {
  const tail = typeof resource === 'string' ? [`:${resource}`] : [':', resource];
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:${service}:`,
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ...tail,
      ],
    ],
  };
}

export const getAtt = (id: string, attribute = 'Arn'): Json => ({ 'Fn::GetAtt': [id, attribute] });

/** A template value as text: `{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`, joins joined. */
export function flatten(value: Json): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, Json>;
  if ('Ref' in node) return `<${String(node.Ref)}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Sub' in node) return (node['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, '<$1>');
  if ('Fn::Join' in node) {
    const [delimiter, parts] = node['Fn::Join'] as [string, Json[]];
    return parts.map(flatten).join(delimiter);
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Condition?: Json;
  readonly Principal?: Json;
}

/** Every statement of the policies attached to a role (CDK's default policy and any other). */
export function roleStatements(synthesized: Synthesized, role: IConstruct): Statement[] {
  const roleRef = { Ref: logicalId(role) };
  return Object.values(synthesized.resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) =>
      (resource.Properties?.Roles as Json[]).some((r) => JSON.stringify(r) === JSON.stringify(roleRef)),
    )
    .flatMap((resource) => (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Every statement anywhere: IAM policies, inline role policies, key, queue and topic policies. */
export function allStatements(synthesized: Synthesized): Statement[] {
  const found: Statement[] = [];
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const node = value as Record<string, Json>;
      if (Array.isArray(node.Statement)) found.push(...(node.Statement as Statement[]));
      Object.values(node).forEach(visit);
    }
  };
  visit(synthesized.resources);
  return found;
}

/** The environment variables of a function. */
export function environmentOf(synthesized: Synthesized, fn: IConstruct): Record<string, Json> {
  const resource = synthesized.resources[logicalId(fn)];
  return (resource.Properties?.Environment as { Variables: Record<string, Json> }).Variables;
}
