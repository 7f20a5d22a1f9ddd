/**
 * The objects every AWX has from its install, as AWX 24 creates them: `awx-manage
 * create_preload_data` (awx/main/management/commands/create_preload_data.py) makes them on an AWX
 * that has no organization yet, the public Galaxy credential is the one its galaxy migration
 * (awx/main/migrations/_galaxy.py) makes, the execution environments are those of `awx-manage
 * register_default_execution_environments`, and the instance groups those its installer registers
 * (`awx-manage register_queue`). `towerless serve` creates them on a fresh data folder
 * (lib/catalog/awx-defaults.ts), and a bundle that names one without defining it reads it as here
 * (lib/model/reading-base.ts). One description for both, so the two never differ.
 */

/** The organization AWX makes first; the model's resources belong to it unless they say otherwise. */
export const DEFAULT_ORGANIZATION = 'Default';

/** AWX's first superuser, whose name the Demo Credential takes as its username. */
export const DEFAULT_SUPERUSER = 'admin';

/** The Demo Project's repository, at the commit AWX records for it without updating it. */
export const DEMO_PROJECT = {
  name: 'Demo Project',
  scm_url: 'https://github.com/ansible/ansible-tower-samples',
  scm_revision: '347e44fea036c94d5f60e544de006453ee5c71ad',
  playbook: 'hello_world.yml',
} as const;

/** localhost's variables as AWX stores them (text, as AWX saves host variables). */
export const LOCALHOST_VARIABLES =
  "ansible_connection: local\nansible_python_interpreter: '{{ ansible_playbook_python }}'";

/** AWX's public Galaxy server credential: managed by AWX, listed in the Default organization's galaxy_credentials. */
export const GALAXY_CREDENTIAL = {
  name: 'Ansible Galaxy',
  credential_type: 'Ansible Galaxy/Automation Hub API Token',
  url: 'https://galaxy.ansible.com/',
} as const;

/**
 * The image AWX 24 preloads, for its jobs (`GLOBAL_JOB_EXECUTION_ENVIRONMENTS`) and its own project
 * updates (`CONTROL_PLANE_EXECUTION_ENVIRONMENT`, awx/settings/defaults.py).
 */
export const AWX_EE_IMAGE = 'quay.io/ansible/awx-ee:latest';

/**
 * The default objects as a native bundle (docs/formats.md), in the order AWX creates them. AWX
 * gives the two credentials no organization; the model has no such credential, and reads them as
 * the Default organization's, which changes nothing a job does with them.
 */
export const AWX_DEFAULT_OBJECTS = {
  projects: [
    {
      name: DEMO_PROJECT.name,
      organization: DEFAULT_ORGANIZATION,
      scm_type: 'git',
      scm_url: DEMO_PROJECT.scm_url,
    },
  ],
  credentials: [
    { name: 'Demo Credential', credential_type: 'Machine', inputs: { username: DEFAULT_SUPERUSER } },
    {
      name: GALAXY_CREDENTIAL.name,
      credential_type: GALAXY_CREDENTIAL.credential_type,
      inputs: { url: GALAXY_CREDENTIAL.url },
    },
  ],
  inventories: [
    {
      name: 'Demo Inventory',
      organization: DEFAULT_ORGANIZATION,
      hosts: [{ name: 'localhost', variables: LOCALHOST_VARIABLES }],
    },
  ],
  job_templates: [
    {
      name: 'Demo Job Template',
      project: DEMO_PROJECT.name,
      inventory: 'Demo Inventory',
      playbook: DEMO_PROJECT.playbook,
      credentials: ['Demo Credential'],
    },
  ],
  // AWX gives both no organization, and only the control plane's is `managed`.
  execution_environments: [
    { name: 'AWX EE (latest)', image: AWX_EE_IMAGE },
    { name: 'Control Plane Execution Environment', image: AWX_EE_IMAGE, managed: true },
  ],
  instance_groups: [
    { name: 'controlplane', policy_instance_percentage: 100 },
    { name: 'default', policy_instance_percentage: 100 },
  ],
} as const;

export type DefaultKind = keyof typeof AWX_DEFAULT_OBJECTS;

/** Whether `name` is one of AWX's default objects of that kind of the bundle. */
export function isAwxDefault(kind: string, name: string): boolean {
  const objects = (AWX_DEFAULT_OBJECTS as Record<string, readonly { readonly name: string }[]>)[kind];
  return objects?.some((object) => object.name === name) ?? false;
}

/**
 * Whether `name` is one of the default objects that are an installation's own, its images and its
 * capacity: exports name them and never write them (`awx export` writes no instance group), so
 * that applying an export never changes another server's.
 */
export function isInstallationDefault(kind: string, name: string): boolean {
  return (kind === 'execution_environments' || kind === 'instance_groups') && isAwxDefault(kind, name);
}
