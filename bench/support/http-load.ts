import { Agent, request } from 'node:http';

/** One answer of the API: its status and its JSON body (undefined when empty or not JSON). */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/**
 * A small HTTP client for the benchmarks: keep-alive connections on loopback, a bearer token, JSON
 * in and out. node:http rather than fetch, so that the load generator takes as little of the
 * machine's CPU as it can (the server under test shares the same two cores).
 */
export class ApiClient {
  private readonly agent: Agent;

  constructor(
    readonly url: string,
    private readonly token: string,
    connections = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /**
   * One call. A GET is sent again (up to 3 times in all) when its connection was closed before
   * any answer: a keep-alive connection the server closes while idle races the next request sent
   * on it. Other methods are not (the server may have acted): they reject.
   */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send<T>(method, path, body);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const closed = code === 'ECONNRESET' || code === 'EPIPE';
        if (method === 'GET' && closed && attempt < 3) continue;
        throw new Error(`${method} ${path} (sent ${attempt}x): ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The JSON of a call that must answer `status` (201 for POST, else 200, by default). */
  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    status = method === 'POST' ? 201 : 200,
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status !== status)
      throw new Error(
        `${method} ${path}: expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    return answer.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` tasks with at most `inFlight` of them at once; resolves with their results in order. */
export async function bounded<T>(
  count: number,
  inFlight: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return results;
}
