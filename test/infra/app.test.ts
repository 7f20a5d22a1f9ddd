import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { towerlessApp } from '../../lib/infra/app';

describe('CDK app', () => {
  it('synthesizes without an AWS account and passes cdk-nag AwsSolutions checks', () => {
    const { app, stack } = towerlessApp();
    // Template.fromStack runs the validation plugins and throws on any unacknowledged finding.
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(app.synth().stacks.map((s) => s.stackName)).toEqual(['Towerless']);
  });
});
