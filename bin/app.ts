import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The CDK app (`cdk synth`, `cdk deploy`). The Towerless stack (API, state machines, runner
 * tasks, store) arrives with its issue; today the app is an empty, environment-agnostic stack
 * so that `cdk synth` works without an AWS account and cdk-nag already checks everything added.
 */
const app = new App();
new Stack(app, 'Towerless', { description: 'Towerless: AWX-style Ansible workflows on AWS Step Functions' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
