import { App, Stack, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The CDK app with cdk-nag's AwsSolutions pack. The Towerless stack (API, state machines, runner
 * tasks, store) arrives with its issue; until then the stack is empty and environment-agnostic,
 * so `cdk synth` needs no AWS account and cdk-nag checks everything added to it.
 */
export function towerlessApp(props: AppProps = {}): { readonly app: App; readonly stack: Stack } {
  const app = new App(props);
  const stack = new Stack(app, 'Towerless', {
    description: 'Towerless: AWX-style Ansible workflows on AWS Step Functions',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
