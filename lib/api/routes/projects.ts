import { PROJECT } from '../../catalog/resources/project';
import { definitionRoutes } from '../definition-routes';
import { addStandaloneRoute } from './standalone-launch';

/** `/api/v2/projects/`: projects, and their update (a project update job, 202; 405 for a manual project). */
export const projects = definitionRoutes(PROJECT);
addStandaloneRoute(projects, PROJECT, {
  kind: 'project',
  path: 'update',
  action: 'update',
  status: 202,
  describe: (project) => ({ can_update: project.scm_type !== '' && project.scm_type != null }),
  runnable: (project) => project.scm_type !== '' && project.scm_type != null,
});
