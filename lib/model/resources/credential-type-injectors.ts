import type { FieldReader } from '../field-reader';
import type { CredentialTypeField, CredentialTypeInjectors, InjectorValue } from '../types';
import type { SecretStyle } from './common';
import { injectorTemplateProblems, type TemplateScope } from './injector-template';
import { injectedVariableProblem } from './reserved-environment';

/** `template` (one file) or `template.<name>` (one of several). */
const FILE_TEMPLATE = /^template(?:\.([a-zA-Z_]+[a-zA-Z0-9_]*))?$/;
/** AWX allows braces in extra variable names: they may be templates too. */
const EXTRA_VAR_NAME = /^[a-zA-Z_{}]+[a-zA-Z0-9_{}]*$/;

/** Reads one template: as AWX receives it, with AWX's save-time problems reported on `key`. */
type TemplateReader = (at: FieldReader, key: string, text: string) => string;

/**
 * A credential type's `injectors` (env, extra_vars, file), checked as AWX's
 * CredentialTypeInjectorField checks them, with the runner's own variables refused as well.
 */
export function readInjectors(
  reader: FieldReader,
  fields: readonly CredentialTypeField[],
  style: SecretStyle,
): CredentialTypeInjectors {
  const fileReader = reader.child(reader.mapping('file') ?? {}, 'file.');
  const fileTemplates = readFileTemplates(fileReader);
  const names = Object.keys(fileTemplates).map((label) => FILE_TEMPLATE.exec(label)?.[1]);
  const scope: TemplateScope = {
    inputs: fields.map((field) => field.id),
    singleFile: names.includes(undefined),
    fileNames: names.filter((name): name is string => name !== undefined),
  };
  const readTemplate: TemplateReader = (at, key, text) => {
    const template = style === 'awx' ? unescapeAnsible(text) : text;
    for (const problem of injectorTemplateProblems(template, scope)) at.fail(key, text, problem);
    return template;
  };
  const file = Object.fromEntries(
    Object.entries(fileTemplates).map(([label, text]) => [label, readTemplate(fileReader, label, text)]),
  );
  const env = readEnv(reader.child(reader.mapping('env') ?? {}, 'env.'), readTemplate);
  const extra_vars = readExtraVars(
    reader.child(reader.mapping('extra_vars') ?? {}, 'extra_vars.'),
    readTemplate,
  );
  reader.finish();
  return { env, extra_vars, file };
}

function readFileTemplates(reader: FieldReader): Record<string, string> {
  const file: Record<string, string> = {};
  for (const [label, template] of Object.entries(reader.raw)) {
    if (!FILE_TEMPLATE.test(label))
      reader.fail(
        label,
        undefined,
        "must be 'template' or 'template.<name>' (a name of letters, digits and _)",
      );
    else if (typeof template !== 'string') reader.fail(label, template, 'must be a template string');
    else file[label] = template;
  }
  const labels = Object.keys(file);
  if (labels.includes('template') && labels.length > 1)
    reader.fail('template', undefined, "must use only 'template.<name>' when injecting several files");
  return file;
}

function readEnv(reader: FieldReader, readTemplate: TemplateReader): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, text] of Object.entries(reader.raw)) {
    const problem = injectedVariableProblem(name);
    if (problem) reader.fail(name, undefined, problem);
    else if (typeof text !== 'string') reader.fail(name, text, 'must be a template string');
    // pexpect, which ansible-runner uses, chokes on anything else.
    else if (!/^\p{ASCII}*$/u.test(text)) reader.fail(name, text, 'must be ASCII');
    else env[name] = readTemplate(reader, name, text);
  }
  return env;
}

function readExtraVars(reader: FieldReader, readTemplate: TemplateReader): Record<string, InjectorValue> {
  const readValue = (value: unknown, at: FieldReader, key: string): InjectorValue | undefined => {
    if (typeof value === 'string') return readTemplate(at, key, value);
    if (Array.isArray(value)) {
      const items = value.map((item, index) => readValue(item, at, `${key}[${index}]`));
      return items.every((item) => item !== undefined) ? (items as InjectorValue[]) : undefined;
    }
    if (value !== null && typeof value === 'object')
      return readMapping(at.child(value as Record<string, unknown>, `${key}.`));
    at.fail(key, value, 'must be a template string, or a list or mapping of them');
    return undefined;
  };
  const readMapping = (at: FieldReader): Record<string, InjectorValue> => {
    const mapping: Record<string, InjectorValue> = {};
    for (const [key, value] of Object.entries(at.raw)) {
      const name = readTemplate(at, key, key);
      if (!EXTRA_VAR_NAME.test(name)) {
        at.fail(key, undefined, 'is not a variable name (letters, digits, _ and template braces)');
        continue;
      }
      const read = readValue(value, at, key);
      if (read !== undefined) mapping[name] = read;
    }
    return mapping;
  };
  return readMapping(reader);
}

const RAW_BLOCK = /{%-?\s*raw\s*-?%}([\s\S]*?){%-?\s*endraw\s*-?%}/;
const QUOTED_EXPRESSION = /{{-?\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*-?}}/g;

/**
 * A template as AWX receives it from an awx.awx task: Ansible renders task arguments first, so
 * templates meant for AWX are escaped there, as `{% raw %}…{% endraw %}` or with quoted
 * expressions such as `{{ '{{' }}`; both are undone. (A value tagged `!unsafe` is read as written.)
 */
export function unescapeAnsible(text: string): string {
  return text
    .split(RAW_BLOCK)
    .map((part, index) =>
      // split() puts the raw blocks' contents at odd indexes.
      index % 2 === 1 ? part : part.replace(QUOTED_EXPRESSION, (_, single, double) => single ?? double),
    )
    .join('');
}
