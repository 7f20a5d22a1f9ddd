/**
 * The catalog every API test and benchmark starts from, built through the API as a client builds
 * it: the Default organization, a manual project in the projects root, and an inventory whose one
 * host is this machine (local connection, Debian's python).
 */
export interface JsonClient {
  json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

type Obj = Record<string, unknown> & { id: number };
const V2 = '/api/v2';

export interface LocalCatalog {
  readonly organization: number;
  readonly project: number;
  readonly inventory: number;
}

export async function localCatalog(api: JsonClient, projectPath = 'demo'): Promise<LocalCatalog> {
  const page = await api.json<{ results: Obj[] }>('GET', `${V2}/organizations/?name=Default`);
  const organization = page.results[0].id;
  const project = await api.json<Obj>('POST', `${V2}/projects/`, {
    name: 'Demo',
    organization,
    local_path: projectPath,
  });
  const inventory = await api.json<Obj>('POST', `${V2}/inventories/`, { name: 'Local', organization });
  await api.json('POST', `${V2}/hosts/`, {
    name: 'localhost',
    inventory: inventory.id,
    variables: JSON.stringify({
      ansible_connection: 'local',
      ansible_python_interpreter: '/usr/bin/python3',
    }),
  });
  return { organization, project: project.id, inventory: inventory.id };
}
