import { main } from '../lib/cli/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`towerless: internal error: ${(error as Error).message}\n`);
    process.exitCode = 70;
  },
);
