import type { ModuleArguments } from './module-arguments';
import { ansibleDict, ansibleList, ansibleStrings, type Converted } from './module-conversions';
import type { ModuleTask } from './module-task';

type Raw = Record<string, unknown>;

/**
 * A task's arguments as the module receives them, which is what Ansible makes of them first: each
 * alias renamed to its option, text converted where the option is a list or a mapping. Each value
 * keeps the line it is written at. Undefined when Ansible would fail the task (a value it cannot
 * convert, reported): the module would not run, so the task defines nothing.
 */
export function moduleParameters(task: ModuleTask, spec: ModuleArguments): Raw | undefined {
  const params = renameAliases(task, spec);
  let failed = false;
  for (const [option, value] of Object.entries(params)) {
    // Ansible converts only the values given: an option left null stays unset.
    if (value === null || value === undefined) continue;
    const converted = convert(spec, option, value);
    if (!converted) continue;
    if ('problem' in converted) {
      const where = task.sourceMap.at(params, option, task.source);
      if (converted.needsAnsible) task.needsAnsible(option, value, converted.problem, where);
      else task.error(option, value, converted.problem, where);
      failed = true;
    } else if (converted.value !== value) {
      params[option] = converted.value;
      // What text became is written where the text is.
      const where = task.sourceMap.at(params, option, task.source);
      if (where.line !== undefined && converted.value !== null && typeof converted.value === 'object')
        task.sourceMap.record(converted.value, where.file, where.line, new Map());
    }
  }
  return failed ? undefined : params;
}

/**
 * Ansible sets each option from its alias when the alias is given, so with both given the alias's
 * value wins; Ansible warns (`Both option X and its alias Y are set`) and runs the task, and so
 * does the reader.
 */
function renameAliases(task: ModuleTask, spec: ModuleArguments): Raw {
  const params: Raw = {};
  const fromAlias = new Set<string>();
  for (const [key, value] of Object.entries(task.args)) {
    const option = spec.aliases[key] ?? key;
    const isAlias = option !== key;
    if (Object.hasOwn(params, option)) {
      const alias = isAlias ? key : [...fromAlias].find((name) => spec.aliases[name] === option)!;
      task.warning(
        alias,
        task.args[alias],
        `both option '${option}' and its alias '${alias}' are set: Ansible uses the alias's value (and warns so too); give only one`,
      );
      if (!isAlias) continue;
    }
    params[option] = value;
    task.sourceMap.copyKey(params, option, task.args, key);
    if (isAlias) fromAlias.add(key);
  }
  return params;
}

/** Ansible's conversion of `value` for the option's type, or undefined when its type converts nothing. */
function convert(spec: ModuleArguments, option: string, value: unknown): Converted | undefined {
  if (spec.dicts.includes(option)) return ansibleDict(value);
  const isList = spec.lists.includes(option);
  if (!isList && !spec.dictLists.includes(option)) return undefined;
  const list = ansibleList(value);
  if ('problem' in list) return list;
  const items = list.value as unknown[];
  if (isList) return ansibleStrings(items);
  const mappings: unknown[] = [];
  for (const item of items) {
    const mapping = ansibleDict(item);
    if ('problem' in mapping) return mapping;
    mappings.push(mapping.value);
  }
  // The list as written when nothing in it changed: its items keep their places.
  return { value: mappings.every((mapping, index) => mapping === items[index]) ? items : mappings };
}
