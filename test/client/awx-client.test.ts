import { describe, expect, it } from 'vitest';
import { AwxClient } from '../../lib/client/awx-client';

/** A fetch that answers from `answer` and records every request. */
function fakeFetch(answer: (url: URL, init: RequestInit) => Response) {
  const requests: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
  const fetchImpl = (async (input: string, init: RequestInit) => {
    requests.push({
      method: init.method ?? 'GET',
      url: input,
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    });
    return answer(new URL(input), init);
  }) as typeof fetch;
  return { requests, fetchImpl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('AwxClient', () => {
  it("follows AWX's pages (relative next links) under the base URL's own path", async () => {
    const { requests, fetchImpl } = fakeFetch((url) =>
      url.searchParams.get('page') === '2'
        ? json({ count: 3, next: null, previous: '/api/v2/hosts/?page=1', results: [{ id: 3 }] })
        : json({
            count: 3,
            next: '/api/v2/hosts/?name=h&page_size=200&page=2',
            results: [{ id: 1 }, { id: 2 }],
          }),
    );
    const client = new AwxClient({ url: 'https://gw.example.com/prod', token: 'secret-token' }, fetchImpl);
    const hosts = await client.list('/hosts/', { name: 'h' });
    expect(hosts.map((host) => host.id)).toEqual([1, 2, 3]);
    expect(requests.map((r) => r.url)).toEqual([
      'https://gw.example.com/prod/api/v2/hosts/?name=h&page_size=200',
      'https://gw.example.com/prod/api/v2/hosts/?name=h&page_size=200&page=2',
    ]);
    expect(requests[0].headers.Authorization).toBe('Bearer secret-token');
  });

  it("turns AWX's error bodies into one line naming what the request was about", async () => {
    const { fetchImpl } = fakeFetch((url) => {
      if (url.pathname.endsWith('/job_templates/'))
        return json(
          { playbook: ['This field is required.'], project: ['Invalid pk "9" - object does not exist.'] },
          400,
        );
      if (url.pathname.endsWith('/nodes/')) return json({ Error: 'Cycle detected.' }, 400);
      if (url.pathname.endsWith('/cancel/')) return json({ detail: 'workflow job 4 has ended' }, 405);
      return json({ detail: 'Not found.' }, 404);
    });
    const client = new AwxClient({ url: 'http://awx', token: 't' }, fetchImpl);
    await expect(client.post('/job_templates/', {}, "job template 'Deploy'")).rejects.toThrow(
      `job template 'Deploy': playbook: This field is required.; project: Invalid pk "9" - object does not exist.`,
    );
    await expect(client.post('/nodes/', { id: 3 }, "node 'a'")).rejects.toThrow(
      "node 'a': Error: Cycle detected.",
    );
    await expect(client.post('/workflow_jobs/4/cancel/', {})).rejects.toThrow(
      'POST /api/v2/workflow_jobs/4/cancel/: workflow job 4 has ended',
    );
    await expect(client.get('/workflow_jobs/99/', 'workflow job 99')).rejects.toMatchObject({
      message: 'workflow job 99: not found on http://awx',
      status: 404,
    });
  });

  it('says when the server is not an AWX API, or cannot be reached', async () => {
    const html = fakeFetch(
      () => new Response('<html>hello</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    );
    await expect(
      new AwxClient({ url: 'http://web', token: 't' }, html.fetchImpl).get('/ping/'),
    ).rejects.toThrow('http://web does not answer as an AWX API (/api/v2/ping/ gave 200 text/html)');
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as unknown as typeof fetch;
    await expect(
      new AwxClient({ url: 'http://down:1234', token: 't' }, refused).get('/ping/'),
    ).rejects.toMatchObject({
      message: 'cannot reach http://down:1234: connection refused (is the server running, on that port?)',
      status: 0,
    });
  });

  it('reads an empty answer (204, 202) as success', async () => {
    const { fetchImpl } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(
      new AwxClient({ url: 'http://awx', token: 't' }, fetchImpl).post('/workflow_approvals/3/approve/', {}),
    ).resolves.toBeNull();
  });
});
