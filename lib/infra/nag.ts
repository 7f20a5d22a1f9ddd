import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource on `owner` (a role:
 * the acknowledgement covers its policies). The resource is given as the grant wrote it (tokens
 * allowed) and rendered as cdk-nag renders it, so the acknowledgement names exactly that pattern
 * and a new wildcard elsewhere still fails synth.
 */
export function acknowledgeWildcard(owner: IConstruct, resource: string, reason: string): void {
  const rendered = flattenCfnReference(Stack.of(owner).resolve(resource));
  Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}

/** The finding for a statement on `*`, for actions that support no resource-level permission. */
export function acknowledgeAnyResource(owner: IConstruct, reason: string): void {
  acknowledgeWildcard(owner, '*', reason);
}
