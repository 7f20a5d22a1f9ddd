import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from './settings';
import { TowerlessStack } from './towerless-stack';

/**
 * The CDK app: the Towerless stack, configured by context (docs/deploying.md), checked by
 * cdk-nag's AwsSolutions pack. The stack is environment-agnostic, so `cdk synth` needs no AWS
 * account; `cdk deploy` takes the account and region of the caller's credentials.
 */
export function towerlessApp(props: AppProps = {}): { readonly app: App; readonly stack: TowerlessStack } {
  const app = new App(props);
  const stack = new TowerlessStack(app, 'Towerless', {
    description: 'Towerless: AWX-style Ansible workflows on AWS Step Functions',
    settings: settingsFromContext(app.node),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
