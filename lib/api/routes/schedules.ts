import { SCHEDULE } from '../../catalog/resources/others';
import { checkSavedLaunch } from '../../launch/saved-launch';
import { definitionRoutes } from '../definition-routes';

/**
 * `/api/v2/schedules/`: schedules, whose prompts are checked as AWX checks a saved launch's
 * (lib/launch/saved-launch.ts) when they are set.
 */
export const schedules = definitionRoutes(SCHEDULE, {
  create: async (services, fields) => {
    await checkSavedLaunch(services.catalog, fields);
    return services.definitions.create(SCHEDULE, fields);
  },
  update: async (services, id, fields) => {
    const current = await services.definitions.get(SCHEDULE, id);
    await checkSavedLaunch(services.catalog, { ...current, ...fields }, Object.keys(fields));
    return services.definitions.update(SCHEDULE, id, fields);
  },
});
