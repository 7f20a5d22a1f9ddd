/**
 * Integ test (run by test/infra/integ.ts through @aws-cdk/integ-runner; vitest never loads it):
 * deploys Towerless as a dev stack, posts the AWX guide's Full Deployment Pipeline through the
 * deployed API, launches it, and waits until its workflow job is successful (every node a real
 * Fargate runner task). The runner tasks check the guide's playbooks out of git:
 *   TOWERLESS_INTEG_PROJECT_URL     a git URL of this repository (or of a copy of examples/guide/project)
 *   TOWERLESS_INTEG_PROJECT_BRANCH  the branch to check out (default: the repository's default)
 *   TOWERLESS_INTEG_PLAYBOOK_DIR    the playbooks' folder in it (default examples/guide/project/)
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';
import { ADMIN_TOKEN_SECRET } from '../../lib/infra/service-secrets';
import { parseSettings } from '../../lib/infra/settings';
import { TowerlessStack } from '../../lib/infra/towerless-stack';
import { guidePipeline } from './guide-pipeline';

const projectUrl = process.env.TOWERLESS_INTEG_PROJECT_URL;
if (!projectUrl)
  throw new Error(
    'set TOWERLESS_INTEG_PROJECT_URL to a git URL of this repository: the runner tasks check the guide playbooks out of it',
  );

const app = new App();
// A dev stack: the table and the secrets go with it when the test ends.
const towerless = new TowerlessStack(app, 'TowerlessInteg', {
  settings: parseSettings({ deletionProtection: false }),
});

const driverStack = new Stack(app, 'TowerlessIntegDriver');
const driver = new NodejsFunction(driverStack, 'Driver', {
  entry: join(__dirname, 'integ-driver', 'index.ts'),
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  timeout: Duration.minutes(1),
  bundling: { externalModules: [] },
  environment: {
    TOWERLESS_API_URL: towerless.api.url,
    TOWERLESS_ADMIN_TOKEN_SECRET: ADMIN_TOKEN_SECRET,
    TOWERLESS_PIPELINE: JSON.stringify(guidePipeline()),
    TOWERLESS_PROJECT_URL: projectUrl,
    TOWERLESS_PROJECT_BRANCH: process.env.TOWERLESS_INTEG_PROJECT_BRANCH ?? '',
    TOWERLESS_PLAYBOOK_DIR: process.env.TOWERLESS_INTEG_PLAYBOOK_DIR ?? 'examples/guide/project/',
  },
});
driver.addToRolePolicy(
  new PolicyStatement({
    actions: ['secretsmanager:GetSecretValue'],
    resources: [towerless.secrets.adminToken.secretArn],
  }),
);

const integ = new IntegTest(app, 'Towerless', {
  testCases: [towerless, driverStack],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

// The admin token exists under the name the stack outputs (its value stays out of CloudFormation:
// the driver reads it itself).
const adminToken = integ.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: ADMIN_TOKEN_SECRET })
  .expect(ExpectedResult.objectLike({ Name: ADMIN_TOKEN_SECRET }));

const launch = integ.assertions.invokeFunction({
  functionName: driver.functionName,
  payload: JSON.stringify({ action: 'launch' }),
});
const workflowJob = launch.getAttString('Payload.workflowJob');

const finished = integ.assertions
  .invokeFunction({
    functionName: driver.functionName,
    payload: `{"action":"status","workflowJob":${workflowJob}}`,
  })
  .expect(ExpectedResult.objectLike({ Payload: JSON.stringify({ status: 'successful' }) }))
  // Five nodes, each a Fargate task that pulls the image and checks out the project.
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.seconds(30), backoffRate: 1 });

adminToken.next(launch).next(finished);
app.synth();
