import { Hono } from 'hono';
import { SCHEDULE } from '../../catalog/resources/others';
import { shownSecrets } from '../../catalog/shown-secrets';
import { InvalidError } from '../../errors';
import { checkSavedLaunch } from '../../launch/saved-launch';
import { Recurrence } from '../../schedules/occurrences';
import { localText, utcText } from '../../schedules/schedule-times';
import { zoneInfo } from '../../schedules/zoneinfo';
import { jsonBody } from '../body';
import type { ApiEnv } from '../context';
import { definitionRoutes } from '../definition-routes';

/** How many occurrences a preview shows (AWX's SchedulePreview). */
const PREVIEW = 10;

/**
 * `/api/v2/schedules/`: schedules, whose prompts are checked as AWX checks a saved launch's
 * (lib/launch/saved-launch.ts) when they are set, and whose rrule the SCHEDULE definition checks
 * on every save; AWX's preview of a rule's next occurrences and its list of zones
 * (docs/schedules.md).
 */
export const schedules = new Hono<ApiEnv>()
  .post('/preview/', async (c) => {
    const { rrule } = await jsonBody(c);
    if (typeof rrule !== 'string' || rrule === '')
      throw new InvalidError('rrule is required', { rrule: ['This field is required.'] });
    const recurrence = Recurrence.parse(rrule);
    const next = recurrence.after(new Date(), PREVIEW);
    return c.json({
      local: next.map((instant) => localText(instant, recurrence.zone)),
      utc: next.map(utcText),
    });
  })
  .get('/zoneinfo/', (c) => c.json(zoneInfo()))
  .route(
    '/',
    definitionRoutes(SCHEDULE, {
      create: async (services, fields) => {
        await checkSavedLaunch(services.catalog, fields);
        return services.definitions.create(SCHEDULE, fields);
      },
      update: async (services, id, fields) => {
        const current = await services.definitions.get(SCHEDULE, id);
        // Kept survey passwords are checked as the client sees them: `$encrypted$`.
        const saved = { ...current, extra_data: shownSecrets(current.extra_data), ...fields };
        await checkSavedLaunch(services.catalog, saved, Object.keys(fields));
        return services.definitions.update(SCHEDULE, id, fields);
      },
    }),
  );
