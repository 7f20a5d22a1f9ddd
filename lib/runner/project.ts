import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Project } from '../model/types';
import { NodeRunFailure } from './failure';
import { resolveInside } from './paths';
import { supervised } from './supervisor';

const run = promisify(execFile);

/** A project ready to run playbooks from, and the commit it is at (git projects). */
export interface Checkout {
  readonly directory: string;
  readonly revision?: string;
}

export interface CheckoutOptions {
  /** Folder of cached git checkouts, one per repository and commit. */
  readonly cacheDir: string;
  /**
   * The projects root: manual projects' `local_path`s are folders inside it (the bundle's folder
   * locally, as AWX keeps them under its PROJECTS_ROOT).
   */
  readonly baseDir: string;
  /** Branch, tag or commit to check out instead of the project's (a permitted override). */
  readonly ref?: string;
  /** A commit already resolved for this workflow job (by a project sync node). */
  readonly revision?: string;
  readonly environment?: Record<string, string>;
  /** Cancels the checkout (the node was canceled). */
  readonly signal?: AbortSignal;
  /** Folders of secrets (keys, askpass) to remove if towerless dies while git runs. */
  readonly privateFiles?: readonly string[];
}

/**
 * Checks out a project: a git URL at a branch, tag or commit (the resolved commit is recorded),
 * or a local folder for manual projects. A commit is checked out once and reused by every node
 * that runs it. Git runs without a shell; credentials never appear in messages.
 */
export async function checkoutProject(project: Project, options: CheckoutOptions): Promise<Checkout> {
  if (project.scm_type !== '') {
    // Parallel nodes of one workflow often check out the same repository: one at a time.
    return serialised(`${options.cacheDir}\0${project.scm_url}`, () => checkoutGit(project, options));
  }
  const local = resolveInside(options.baseDir, project.local_path);
  if (!local.inside) {
    throw new NodeRunFailure(
      `project '${project.name}': local_path '${project.local_path}' is not a folder inside the projects root ${realpathSync(options.baseDir)}`,
    );
  }
  if (!local.exists)
    throw new NodeRunFailure(`project '${project.name}': local_path ${local.path} does not exist`);
  return { directory: local.path };
}

const pending = new Map<string, Promise<unknown>>();

async function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = pending.get(key) ?? Promise.resolve();
  const result = before.then(work, work);
  pending.set(
    key,
    result.catch(() => undefined),
  );
  return result;
}

async function checkoutGit(project: Project, options: CheckoutOptions): Promise<Checkout> {
  /**
   * Clones and fetches (they may reach the network, and take long) run under the job supervisor;
   * the other git commands are local and take milliseconds, so they run directly.
   */
  const git = async (args: string[], cwd?: string) => {
    const remote = args[0] === 'clone' || args[0] === 'fetch';
    const command = remote
      ? supervised('git', args, { workdir: cwd, privateFiles: options.privateFiles })
      : { file: 'git', args, cwd };
    try {
      return (
        await run(command.file, command.args, {
          cwd: command.cwd,
          signal: options.signal,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            GIT_TERMINAL_PROMPT: '0',
            HOME: process.env.HOME ?? '/tmp',
            ...options.environment,
          },
        })
      ).stdout.trim();
    } catch (error) {
      const stderr =
        String((error as { stderr?: string }).stderr ?? '')
          .split('\n')
          .find((line) => line.trim()) ?? (error as Error).message;
      throw new NodeRunFailure(
        `project '${project.name}': git ${args[0]} failed: ${stderr.replace(/\/\/[^@/\s]+@/g, '//***@')}`,
      );
    }
  };
  const ref = options.ref || project.scm_branch || 'HEAD';
  const key = createHash('sha256').update(project.scm_url).digest('hex').slice(0, 16);
  const mirror = join(options.cacheDir, key, 'mirror.git');
  if (!existsSync(mirror)) {
    mkdirSync(join(options.cacheDir, key), { recursive: true });
    const partial = `${mirror}.partial-${process.pid}`;
    // --no-hardlinks: a repository on this machine would otherwise share its files (and their
    // modes) with the private data folder.
    await git(['clone', '--quiet', '--mirror', '--no-hardlinks', '--', project.scm_url, partial]);
    renameSync(partial, mirror);
  } else if (!options.revision) {
    await git(['fetch', '--quiet', '--prune', 'origin'], mirror);
  }
  const revision =
    options.revision ??
    (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], mirror).catch(() => {
      throw new NodeRunFailure(
        `project '${project.name}': branch, tag or commit '${ref}' not found in ${project.scm_url.replace(/\/\/[^@/\s]+@/g, '//***@')}`,
      );
    }));
  const directory = join(options.cacheDir, key, revision);
  if (!existsSync(directory)) {
    const partial = `${directory}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    await git(['clone', '--quiet', '--no-checkout', '--', mirror, partial]);
    await git(['checkout', '--quiet', revision], partial);
    renameSync(partial, directory);
  }
  return { directory, revision };
}

/** The playbook's path inside the project; refuses paths that leave it (`../`, absolute, symlinks out). */
export function playbookPath(checkout: Checkout, playbook: string): string {
  const found = resolveInside(checkout.directory, playbook);
  if (!found.inside)
    throw new NodeRunFailure(`playbook '${playbook}' leaves the project folder; playbooks must be inside it`);
  if (!found.exists) throw new NodeRunFailure(`playbook '${playbook}' not found in the project`);
  return relative(realpathSync(checkout.directory), found.path);
}
