import type * as Nunjucks from 'nunjucks';
import { didYouMean } from '../diagnostics';

/**
 * The Jinja templates of credential type injectors, rendered with nunjucks the way AWX renders them
 * with Jinja's sandbox: autoescape off, and no way out to the process. nunjucks is no sandbox by
 * itself (a template can reach `"".constructor.constructor` and call it), so every template is
 * parsed first and only a closed set of constructs is compiled: variables, literals, operators,
 * `if`, `for`, `set`, and nunjucks' built-in filters and tests. Function and macro calls, includes,
 * imports, blocks and any name or attribute that leads to JavaScript internals are refused. What
 * runs is compiled from the checked syntax tree itself, never from the text again.
 */

/** What a template may refer to: the type's input ids and the files its `file` injectors write. */
export interface TemplateScope {
  readonly inputs: readonly string[];
  /** `template` given: `tower.filename` is its path. */
  readonly singleFile: boolean;
  /** `template.<name>` given: `tower.filename.<name>` are their paths. */
  readonly fileNames: readonly string[];
}

/**
 * Why a template may not be used, or failed to render. Refusals never quote input values; a render
 * failure's message comes from nunjucks and is scrubbed by the caller before it goes anywhere.
 */
export class InjectorTemplateError extends Error {}

/** AWX's namespace for the paths of injected files; Towerless also accepts `awx`, as AWX's docs write it. */
export const FILE_NAMESPACES = ['tower', 'awx'] as const;

/**
 * What AWX would refuse when the credential type is saved: syntax errors, references to fields the
 * type does not define (in any branch, not only the one the example values take) and misuse of
 * `tower.filename`. Empty when the template is fine.
 */
export function injectorTemplateProblems(source: string, scope: TemplateScope): string[] {
  try {
    return new TemplateChecker(scope).check(parse(source));
  } catch (error) {
    if (error instanceof InjectorTemplateError) return [error.message];
    throw error;
  }
}

/**
 * Renders a template with `context` (input values and the `tower` namespace). Names the context
 * lacks render empty, as with AWX. Booleans and none render as Jinja writes them (True, False, None).
 */
export function renderInjectorTemplate(source: string, context: Readonly<Record<string, unknown>>): string {
  const tree = parse(source);
  new TemplateChecker(undefined).check(tree);
  const engine = nunjucks();
  const compiler = new engine.compiler.Compiler('injector', false);
  compiler.compile(jinjaOutput(engine, tree));
  // Compiling the checked tree ourselves is nunjucks' own Template._compile step, minus the re-parse.
  const code = new Function(compiler.getCode())() as object;
  const template = new engine.Template({ type: 'code', obj: code } as never, environment());
  try {
    return template.render(context);
  } catch (error) {
    throw new InjectorTemplateError(engineMessage((error as Error).message));
  }
}

/** A nunjucks syntax node; its children are the node-valued properties. */
interface TemplateNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly [property: string]: unknown;
}

/** The parts of nunjucks used beyond its documented API: parser, node classes and compiler. */
interface NunjucksInternals {
  readonly Environment: typeof Nunjucks.Environment;
  readonly Template: typeof Nunjucks.Template;
  readonly parser: { parse(source: string): TemplateNode };
  readonly compiler: {
    readonly Compiler: new (
      name: string,
      throwOnUndefined: boolean,
    ) => { compile(tree: TemplateNode): void; getCode(): string };
  };
  readonly nodes: {
    readonly Filter: new (
      lineno: number,
      colno: number,
      name: TemplateNode,
      args: TemplateNode,
    ) => TemplateNode;
    readonly Symbol: new (lineno: number, colno: number, value: string) => TemplateNode;
    readonly NodeList: new (lineno: number, colno: number, children: TemplateNode[]) => TemplateNode;
  };
}

let loaded: NunjucksInternals | undefined;
/** nunjucks' Environment, with the test lookup its typings leave out. */
type TemplateEnvironment = Nunjucks.Environment & { getTest(name: string): unknown };
let sharedEnvironment: TemplateEnvironment | undefined;

/** Loaded on first use: most bundles define no credential type, and the CLI should start fast. */
function nunjucks(): NunjucksInternals {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('nunjucks') as NunjucksInternals;
  return loaded;
}

/** The filter every output goes through, so that values print as Jinja prints them. */
const JINJA_TEXT = 'jinja_text';

function environment(): TemplateEnvironment {
  if (sharedEnvironment) return sharedEnvironment;
  // No loaders: a template can reach no file.
  const created = new (nunjucks().Environment)([], {
    autoescape: false,
    throwOnUndefined: false,
  }) as TemplateEnvironment;
  created.addFilter(JINJA_TEXT, (value: unknown) =>
    value === true ? 'True' : value === false ? 'False' : value === null ? 'None' : value,
  );
  sharedEnvironment = created;
  return created;
}

function parse(source: string): TemplateNode {
  try {
    // Jinja drops one final newline of a template (keep_trailing_newline is off in AWX).
    return nunjucks().parser.parse(source.replace(/\r?\n$/, ''));
  } catch (error) {
    const { lineno, colno, message } = error as { lineno?: number; colno?: number; message: string };
    const at = lineno !== undefined ? `line ${lineno}, column ${colno ?? 0}: ` : '';
    throw new InjectorTemplateError(`has a template syntax error: ${at}${engineMessage(message)}`);
  }
}

/** nunjucks puts where (path, line) on a line of its own before what. */
function engineMessage(message: string): string {
  return message.trim().split('\n').pop()!.trim();
}

/** Wraps every printed expression in JINJA_TEXT. */
function jinjaOutput(engine: NunjucksInternals, node: TemplateNode): TemplateNode {
  for (const child of childNodes(node)) jinjaOutput(engine, child);
  if (node.typename === 'Output') {
    const children = node.children as TemplateNode[];
    children.forEach((child, index) => {
      if (child.typename === 'TemplateData') return;
      const name = new engine.nodes.Symbol(child.lineno, child.colno, JINJA_TEXT);
      const args = new engine.nodes.NodeList(child.lineno, child.colno, [child]);
      children[index] = new engine.nodes.Filter(child.lineno, child.colno, name, args);
    });
  }
  return node;
}

function isNode(value: unknown): value is TemplateNode {
  return value !== null && typeof value === 'object' && typeof (value as TemplateNode).typename === 'string';
}

function childNodes(node: TemplateNode): TemplateNode[] {
  return Object.values(node).flatMap((value) =>
    isNode(value) ? [value] : Array.isArray(value) ? value.filter(isNode) : [],
  );
}

/** Constructs that only combine what their children compute. */
const STRUCTURE = new Set([
  'Root',
  'NodeList',
  'Output',
  'TemplateData',
  'Group',
  'Array',
  'Dict',
  'KeywordArgs',
  'If',
  'InlineIf',
  'Capture',
  'Switch',
  'Case',
  'Compare',
  'CompareOperand',
  'In',
  'Or',
  'And',
  'Not',
  'Add',
  'Concat',
  'Sub',
  'Mul',
  'Div',
  'FloorDiv',
  'Mod',
  'Pow',
  'Neg',
  'Pos',
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Attribute names that lead from a value to JavaScript internals. */
function isInternal(name: string): boolean {
  return name.startsWith('_') || name === 'constructor' || name === 'prototype' || name in Object.prototype;
}

/**
 * Walks a template's syntax tree. Refusals (throws) are what the sandbox forbids; problems
 * (collected) are references outside the scope, checked only when a scope is given.
 */
class TemplateChecker {
  private readonly problems: string[] = [];
  private readonly references: TemplateNode[] = [];
  private readonly bound = new Set<string>();

  constructor(private readonly scope: TemplateScope | undefined) {}

  check(tree: TemplateNode): string[] {
    this.walk(tree, []);
    if (!this.scope) return this.problems;
    const known = new Set([...this.scope.inputs, ...this.bound]);
    for (const symbol of this.references) {
      const name = symbol.value as string;
      if (!known.has(name))
        this.problems.push(`uses an undefined field '${name}'${didYouMean(name, this.scope.inputs)}`);
    }
    return this.problems;
  }

  private walk(node: TemplateNode, ancestors: readonly TemplateNode[]): void {
    const within = [...ancestors, node];
    switch (node.typename) {
      case 'Symbol':
        return this.symbol(node, ancestors);
      case 'Literal':
        if (node.value instanceof RegExp) this.refuse(node, 'regular expression literals are not allowed');
        return;
      case 'LookupVal':
        this.attribute(node.val as TemplateNode);
        return this.walk(node.target as TemplateNode, within);
      case 'Filter':
        this.builtIn(node.name as TemplateNode, 'filter', environment().getFilter.bind(environment()));
        return this.walk(node.args as TemplateNode, within);
      case 'Is': {
        const test = node.right as TemplateNode;
        const name = test.typename === 'FunCall' ? (test.name as TemplateNode) : test;
        this.builtIn(name, 'test', environment().getTest.bind(environment()));
        this.walk(node.left as TemplateNode, within);
        if (test.typename === 'FunCall') this.walk(test.args as TemplateNode, [...within, test]);
        return;
      }
      case 'For':
        this.bind(node.name as TemplateNode);
        this.bound.add('loop');
        for (const field of ['arr', 'body', 'else_']) if (isNode(node[field])) this.walk(node[field], within);
        return;
      case 'Set':
        for (const target of node.targets as TemplateNode[]) this.bind(target);
        for (const field of ['value', 'body']) if (isNode(node[field])) this.walk(node[field], within);
        return;
      case 'Pair': {
        // A bare key is a string, not a variable; `__proto__` as a key would set the prototype.
        const key = node.key as TemplateNode;
        if (typeof key.value === 'string' && isInternal(key.value)) this.refuse(key, 'is not a usable key');
        if (key.typename !== 'Symbol') this.walk(key, within);
        return this.walk(node.value as TemplateNode, within);
      }
      default:
        if (!STRUCTURE.has(node.typename))
          this.refuse(node, `${describe(node)} is not allowed in injector templates`);
        for (const child of childNodes(node)) this.walk(child, within);
    }
  }

  private symbol(node: TemplateNode, ancestors: readonly TemplateNode[]): void {
    const name = node.value as string;
    if (!NAME.test(name) || isInternal(name)) this.refuse(node, `'${name}' is not a usable name`);
    if ((FILE_NAMESPACES as readonly string[]).includes(name)) this.fileNamespace(node, name, ancestors);
    else this.references.push(node);
  }

  /** AWX's `tower.filename` (one file) and `tower.filename.<name>` (several). */
  private fileNamespace(node: TemplateNode, name: string, ancestors: readonly TemplateNode[]): void {
    const [parent, grandparent] = [ancestors.at(-1), ancestors.at(-2)];
    const lookup = (outer: TemplateNode | undefined, inner: TemplateNode) =>
      outer?.typename === 'LookupVal' && outer.target === inner
        ? ((outer.val as TemplateNode).value as string)
        : undefined;
    if (lookup(parent, node) !== 'filename') {
      this.problems.push(`cannot reference the reserved '${name}' namespace except as ${name}.filename`);
      return;
    }
    if (!this.scope) return;
    const file = lookup(grandparent, parent!);
    if (file === undefined) {
      if (!this.scope.singleFile)
        this.problems.push(`must define an unnamed file injector (template) to reference ${name}.filename`);
    } else if (!this.scope.fileNames.includes(file)) {
      this.problems.push(
        `references ${name}.filename.${file}, but no file injector 'template.${file}' is defined${didYouMean(file, this.scope.fileNames)}`,
      );
    }
  }

  private attribute(key: TemplateNode): void {
    const value = key.value;
    const allowed =
      key.typename === 'Literal' &&
      (typeof value === 'number' || (typeof value === 'string' && NAME.test(value) && !isInternal(value)));
    if (!allowed) this.refuse(key, 'attributes and indexes must be plain names or numbers');
  }

  private builtIn(name: TemplateNode, kind: string, lookUp: (name: string) => unknown): void {
    const value = name.value as string;
    let known = NAME.test(value) && !isInternal(value);
    try {
      if (known) lookUp(value);
    } catch {
      known = false;
    }
    if (!known) this.refuse(name, `'${value}' is not a built-in ${kind}`);
  }

  private bind(target: TemplateNode): void {
    const names = target.typename === 'Array' ? (target.children as TemplateNode[]) : [target];
    for (const name of names) {
      const value = name.value;
      if (name.typename !== 'Symbol' || typeof value !== 'string' || !NAME.test(value) || isInternal(value))
        this.refuse(name, 'only plain names can be assigned');
      this.bound.add(value as string);
    }
  }

  private refuse(node: TemplateNode, message: string): never {
    throw new InjectorTemplateError(`line ${node.lineno + 1}: ${message}`);
  }
}

function describe(node: TemplateNode): string {
  switch (node.typename) {
    case 'FunCall':
      return 'calling a function';
    case 'Macro':
      return 'a macro';
    case 'Include':
    case 'Import':
    case 'FromImport':
    case 'Extends':
      return 'reading another template';
    default:
      return `'${node.typename}'`;
  }
}
