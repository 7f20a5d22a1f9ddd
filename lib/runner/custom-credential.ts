import { InjectorTemplateError, renderInjectorTemplate } from '../model/resources/injector-template';
import { injectedVariableProblem } from '../model/resources/reserved-environment';
import type { Credential, CredentialTypeInjectors, InjectorValue, Vars } from '../model/types';
import { NodeRunFailure } from './failure';
import { Redactor } from './redact';
import { credentialInput, type SecretProvider } from './secrets';
import type { TempFiles } from './temp-files';

/** What a custom credential adds to a job; secret values are appended to `secrets`. */
export interface CustomInjection {
  readonly envvars: Record<string, string>;
  readonly extraVars: Vars;
  readonly secrets: string[];
}

/**
 * A type injected by templates: a custom type, or a managed one (AWX's injectors, or Towerless's
 * rendering of what AWX's Python injector sets).
 */
export interface TemplateInjectedType {
  readonly name: string;
  readonly inputs: { readonly fields: readonly InjectedField[] };
  readonly injectors: CredentialTypeInjectors;
  /**
   * Inputs left out take their field's default, as AWX's Python injectors read them (`get_input`);
   * otherwise, as AWX's template injection has it, only booleans left out get a value: false.
   */
  readonly fieldDefaults?: boolean;
}

interface InjectedField {
  readonly id: string;
  readonly type?: 'string' | 'boolean';
  readonly secret?: boolean;
  readonly format?: string | null;
  readonly default?: string | boolean;
}

/**
 * Injects a credential exactly as its type's injectors declare, in AWX's order
 * (CredentialType.inject_credential): files first, so that `tower.filename` holds their paths,
 * then environment variables, then extra variables. Nothing else reaches the job: an input the
 * injectors do not use is not injected at all.
 */
export async function injectCustomCredential(
  credential: Credential,
  type: TemplateInjectedType,
  sources: { readonly secrets: SecretProvider; readonly files: TempFiles },
  into: CustomInjection,
): Promise<void> {
  const fileNamespace: { filename?: string | Record<string, string> } = {};
  const context = {
    ...(await inputValues(credential, type, sources.secrets, into.secrets)),
    tower: fileNamespace,
    awx: fileNamespace,
  };
  const render = (where: string, template: string): string => {
    try {
      return renderInjectorTemplate(template, context);
    } catch (error) {
      if (!(error instanceof InjectorTemplateError)) throw error;
      const redactor = new Redactor();
      redactor.add(into.secrets);
      throw new NodeRunFailure(
        `${describe(credential, type)}: injectors.${where} ${redactor.text(error.message)}`,
      );
    }
  };
  for (const [label, template] of Object.entries(type.injectors.file)) {
    const name = label.split('.')[1];
    const path = sources.files.write(name ?? 'credential', render(`file.${label}`, template));
    fileNamespace.filename =
      name === undefined ? path : { ...(fileNamespace.filename as Record<string, string>), [name]: path };
  }
  for (const [name, template] of Object.entries(type.injectors.env)) {
    // Checked when the definition was loaded; checked again here, as the definition may come from the store.
    const problem = injectedVariableProblem(name);
    if (problem)
      throw new NodeRunFailure(`${describe(credential, type)}: environment variable '${name}' ${problem}`);
    into.envvars[name] = render(`env.${name}`, template);
  }
  const renderValue = (where: string, value: InjectorValue): unknown => {
    if (typeof value === 'string') return render(where, value);
    if (Array.isArray(value)) return value.map((item, index) => renderValue(`${where}[${index}]`, item));
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [render(where, key), renderValue(`${where}.${key}`, item)]),
    );
  };
  Object.assign(into.extraVars, renderValue('extra_vars', type.injectors.extra_vars));
}

function describe(credential: Credential, type: TemplateInjectedType): string {
  return `credential '${credential.name}' (type '${type.name}')`;
}

/**
 * The template namespace of a credential's inputs, as AWX builds it: inputs given (empty strings
 * left out), booleans not given as false (or defaults, see `fieldDefaults`), ssh private keys ending
 * with a newline. Every value of a secret field, and every value read from the secret store, is
 * remembered for scrubbing.
 */
async function inputValues(
  credential: Credential,
  type: TemplateInjectedType,
  provider: SecretProvider,
  secrets: string[],
): Promise<Record<string, string | boolean>> {
  const values: Record<string, string | boolean> = {};
  for (const field of type.inputs.fields) {
    const fallback = type.fieldDefaults ? field.default : undefined;
    if (field.type === 'boolean') {
      const given = credential.inputs[field.id];
      values[field.id] = typeof given === 'boolean' ? given : fallback === true;
      continue;
    }
    const value = (await credentialInput(credential, field.id, provider, secrets)) ?? fallback;
    if (typeof value !== 'string') continue;
    if (field.secret) secrets.push(value);
    values[field.id] = field.format === 'ssh_private_key' && !value.endsWith('\n') ? `${value}\n` : value;
  }
  return values;
}
