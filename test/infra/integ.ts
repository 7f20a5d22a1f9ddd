/**
 * Runs the integ test (test/infra/integ.towerless.ts) for real when AWS credentials are configured:
 * deploys the stack, runs the guide's Full Deployment Pipeline through the API, destroys the stack.
 * Without credentials it says so and succeeds, so `npm run integ` is safe anywhere. Nothing here
 * touches the network to decide: it looks at the environment and the AWS config files only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SKIPPED =
  'skipped: no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID to deploy and run the pipeline for real)';

/** Whether the AWS SDK would find credentials without asking the network (no IMDS probe). */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_PROFILE) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return true;
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
  ];
  // A default profile with keys, SSO, a role or a credential process.
  return files.some(
    (file) =>
      existsSync(file) &&
      /^\s*(aws_access_key_id|sso_session|sso_start_url|role_arn|credential_process)\s*=/m.test(
        readFileSync(file, 'utf8'),
      ),
  );
}

function main(): number {
  if (!hasAwsCredentials()) {
    console.log(SKIPPED);
    return 0;
  }
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const result = spawnSync(
    'npx',
    [
      'integ-runner',
      '--directory',
      'test/infra',
      '--test-regex',
      '^integ\\.towerless\\.ts$',
      '--app',
      'npx tsx {filePath}',
      '--update-on-failed',
      ...(region ? ['--parallel-regions', region] : []),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', cwd: join(__dirname, '..', '..') },
  );
  return result.status ?? 1;
}

if (require.main === module) process.exit(main());
