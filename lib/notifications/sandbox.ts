import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Notification messages are Jinja templates their authors write (AWX renders them in Jinja's
 * ImmutableSandboxedEnvironment). Here @huggingface/jinja renders them: an interpreter with its
 * own value types, so a template reaches no JavaScript object, prototype or function of ours.
 * What an interpreter cannot stop is work: `{% for i in range(100000000) %}` runs forever and a
 * loop of string joins fills memory, in whichever thread renders. So rendering happens in a
 * child process with a time limit (killed when over it), a small heap and an empty environment;
 * the process that sends notifications only waits for an answer (docs/notifications.md "The
 * sandbox"). Not a worker thread: on Node 20 an array grown past a worker's `resourceLimits`
 * (`{% for i in range(100000000) %}`) aborts the whole process, not just the worker.
 */
export interface SandboxLimits {
  /** How long one render may run. */
  readonly timeoutMs: number;
  /** The longest template accepted, in characters. */
  readonly maxTemplate: number;
  /** The longest output accepted, in characters. */
  readonly maxOutput: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 1_000, maxTemplate: 65_536, maxOutput: 262_144 };

export type RenderResult = { readonly text: string } | { readonly error: string };

export interface RenderOptions {
  /**
   * Refuse a template that reads a variable the context lacks (AWX's DescriptiveUndefined, used
   * when messages are saved); `error` is then `Field '<name>' unavailable`.
   */
  readonly strict?: boolean;
}

/**
 * The renderer's code, run with `node -e` so it needs no file of its own beside the bundled CLI.
 * In strict mode the root scope's failed lookups are noted (every scope's lookup ends there).
 */
const RENDERER_SOURCE = `
const { Template, Environment } = require(process.argv[1]);
const resolve = Environment.prototype.resolve;
let missing;
Environment.prototype.resolve = function (name) {
  if (!this.parent && missing === undefined && !this.variables.has(name)) missing = name;
  return resolve.call(this, name);
};
process.on('message', ({ template, context, strict, maxOutput }) => {
  missing = strict ? undefined : null;
  try {
    const text = new Template(template).render(context);
    if (typeof missing === 'string') process.send({ error: "Field '" + missing + "' unavailable" });
    else if (text.length > maxOutput) process.send({ error: 'the rendered message is longer than ' + maxOutput + ' characters' });
    else process.send({ text });
  } catch (error) {
    process.send({ error: String((error && error.message) || error).slice(0, 1000) });
  }
});
`;

/** Renders templates one at a time in one child process, started when first needed and again after a kill. */
export class TemplateSandbox {
  private child?: ChildProcess;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits: SandboxLimits = DEFAULT_LIMITS) {}

  /** The template rendered with `context` (plain JSON values), or why it could not be. */
  render(
    template: string,
    context: Record<string, unknown>,
    options: RenderOptions = {},
  ): Promise<RenderResult> {
    const result = this.queue.then(() => this.renderNow(template, context, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the renderer (a later render starts another). */
  close(): void {
    if (this.child) this.discard(this.child);
  }

  private renderNow(
    template: string,
    context: Record<string, unknown>,
    options: RenderOptions,
  ): Promise<RenderResult> {
    const { timeoutMs, maxTemplate, maxOutput } = this.limits;
    if (template.length > maxTemplate)
      return Promise.resolve({ error: `the template is longer than ${maxTemplate} characters` });
    const child = this.started();
    return new Promise<RenderResult>((resolve) => {
      const done = (result: RenderResult) => {
        clearTimeout(timer);
        child.off('message', done);
        child.off('error', failed);
        child.off('exit', exited);
        resolve(result);
      };
      const failed = (error: Error) => {
        this.discard(child);
        done({ error: `the template could not be rendered (${error.message})` });
      };
      // A renderer over its memory limit dies; the next render starts another.
      const exited = () => {
        this.discard(child);
        done({ error: 'the template could not be rendered (it used too much memory)' });
      };
      const timer = setTimeout(() => {
        this.discard(child);
        done({ error: `the template took longer than ${timeoutMs} ms to render` });
      }, timeoutMs);
      child.on('message', done);
      child.once('error', failed);
      child.once('exit', exited);
      child.send({ template, context, strict: options.strict === true, maxOutput });
    });
  }

  private started(): ChildProcess {
    if (!this.child) {
      this.child = spawn(
        process.execPath,
        ['--max-old-space-size=64', '-e', RENDERER_SOURCE, require.resolve('@huggingface/jinja')],
        // Nothing of this process's environment (secrets in variables) is in reach, even by a flaw.
        { env: {}, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' },
      );
      // An idle renderer never keeps the process alive.
      this.child.unref();
      this.child.channel?.unref();
    }
    return this.child;
  }

  private discard(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    child.kill('SIGKILL');
  }
}
