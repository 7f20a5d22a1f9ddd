import type { Hono } from 'hono';
import type { Definition } from '../../catalog/definition';
import { readWithModel } from '../../catalog/model-check';
import { InvalidError } from '../../errors';
import { readSurveySpec } from '../../model/survey-spec';
import { jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { requireAccess } from '../permissions';
import { resourceId } from './resource-id';

/**
 * `…/survey_spec/` of a template: GET shows it (`{}` when there is none), POST replaces it after
 * AWX's save-time checks (the model's survey reader, docs/semantics.md §6.1), DELETE removes it.
 * Password defaults are kept but shown as `$encrypted$`.
 */
export function addSurveySpecRoutes(routes: Hono<ApiEnv>, definition: Definition): void {
  routes
    .get('/:id/survey_spec/', async (c) => {
      const record = await c.get('services').definitions.get(definition, resourceId(c));
      await requireAccess(c, 'read', definition.kind, record);
      return c.json(maskPasswordDefaults(record.survey_spec) ?? {});
    })
    .post('/:id/survey_spec/', async (c) => {
      const { definitions } = c.get('services');
      const id = resourceId(c);
      const current = await definitions.get(definition, id);
      await requireAccess(c, 'change', definition.kind, current);
      const spec = keepPasswordDefaults(await jsonBody(c), current.survey_spec);
      const empty = Object.keys(spec).length === 0;
      if (!empty) {
        const { errors } = readWithModel({ survey_spec: spec }, `${definition.type} ${id}`, readSurveySpec);
        const messages = Object.values(errors).flat();
        if (messages.length > 0) throw new InvalidError(messages.join(' '), { error: messages });
      }
      await definitions.store.update(definition.kind, id, { survey_spec: empty ? null : spec });
      return c.body(null, 200);
    })
    .delete('/:id/survey_spec/', async (c) => {
      const { definitions } = c.get('services');
      const id = resourceId(c);
      await requireAccess(c, 'change', definition.kind, await definitions.get(definition, id));
      await definitions.store.update(definition.kind, id, { survey_spec: null });
      return c.body(null, 200);
    });
}

type Spec = { spec?: Array<Record<string, unknown>> } & Record<string, unknown>;

function maskPasswordDefaults(spec: unknown): Spec | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  const survey = spec as Spec;
  return {
    ...survey,
    spec: (survey.spec ?? []).map((question) =>
      question.type === 'password' && question.default ? { ...question, default: '$encrypted$' } : question,
    ),
  };
}

/** A client that posts back what it read sends `$encrypted$` for a password default: keep the old one. */
function keepPasswordDefaults(next: Spec, current: unknown): Spec {
  const old = (current as Spec | null | undefined)?.spec ?? [];
  if (!Array.isArray(next.spec)) return next;
  return {
    ...next,
    spec: next.spec.map((question) => {
      if (question?.default !== '$encrypted$') return question;
      const before = old.find((q) => q.variable === question.variable && q.type === 'password');
      return before ? { ...question, default: before.default } : question;
    }),
  };
}
