import { UserError } from '../errors';
import type { Connection } from './connection';

/** An object of the API as it answers it. */
export type ApiObject = { readonly id: number } & Readonly<Record<string, unknown>>;

/** What a request is about, for messages: `job template 'Deploy'`. */
export type Subject = string;

/** The API refused a request, or did not answer as an AWX API does. */
export class ApiError extends UserError {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** The API's prefix, as AWX serves it. */
const API = '/api/v2';
/** Towerless's own endpoints, beside AWX's (docs/api.md). */
const TOWERLESS_API = '/api/towerless';
/** AWX's largest page: the fewest round trips for a whole list. */
const PAGE_SIZE = 200;
const TIMEOUT_MS = 60_000;

type Query = Readonly<Record<string, string | number>>;

/**
 * A small client of AWX's REST API (docs/api.md "The API client"): Bearer token, JSON bodies,
 * AWX's pagination followed, and every refusal turned into an ApiError naming what the request
 * was about and AWX's own words for the fields at fault.
 */
export class AwxClient {
  constructor(
    readonly connection: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** `/job_templates/3/` → the full URL under the API prefix. */
  url(path: string, query: Query = {}): string {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return `${this.connection.url}${API}${path}${search ? `?${search}` : ''}`;
  }

  get<T = ApiObject>(path: string, subject?: Subject): Promise<T> {
    return this.request<T>('GET', this.url(path), undefined, subject);
  }

  /** Every item of a list, page after page, filtered by `query` (`name`, `organization`...). */
  async list<T = ApiObject>(path: string, query: Query = {}, subject?: Subject): Promise<T[]> {
    const items: T[] = [];
    let next: string | null = this.url(path, { ...query, page_size: PAGE_SIZE });
    while (next) {
      const page: Page<T> = await this.request<Page<T>>('GET', next, undefined, subject);
      if (!Array.isArray(page?.results)) throw this.notAwx(next, 'a list without results');
      items.push(...page.results);
      next = page.next ? this.pageUrl(page.next) : null;
    }
    return items;
  }

  post<T = ApiObject>(path: string, body: unknown, subject?: Subject): Promise<T> {
    return this.request<T>('POST', this.url(path), body, subject);
  }

  /** A POST to one of Towerless's own endpoints (`/workflow_jobs/3/resume/`), which AWX has not. */
  postTowerless<T = ApiObject>(path: string, body: unknown, subject?: Subject): Promise<T> {
    return this.request<T>('POST', `${this.connection.url}${TOWERLESS_API}${path}`, body, subject);
  }

  patch<T = ApiObject>(path: string, body: unknown, subject?: Subject): Promise<T> {
    return this.request<T>('PATCH', this.url(path), body, subject);
  }

  delete(path: string, subject?: Subject): Promise<unknown> {
    return this.request('DELETE', this.url(path), undefined, subject);
  }

  /**
   * AWX links the next page by its path (`/api/v2/hosts/?page=2`); a server behind a path prefix
   * (an API Gateway stage) is reached under the base URL all the same.
   */
  private pageUrl(next: string): string {
    const at = next.indexOf(`${API}/`);
    return at === -1
      ? new URL(next, this.connection.url).toString()
      : `${this.connection.url}${next.slice(at)}`;
  }

  private async request<T>(method: string, url: string, body: unknown, subject?: Subject): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.connection.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ApiError(`cannot reach ${this.connection.url}: ${unreachable(error)}`, 0);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (text !== '' && json === undefined)
      throw this.notAwx(url, `${response.status} ${response.headers.get('content-type') ?? 'text'}`);
    if (response.ok) return json as T;
    throw this.refusal(method, url, response.status, json, subject);
  }

  private refusal(method: string, url: string, status: number, body: unknown, subject?: Subject): ApiError {
    const about = subject ?? `${method} ${new URL(url).pathname}`;
    const reason = awxReason(body) || `HTTP ${status}`;
    if (status === 401)
      return new ApiError(
        `${this.connection.url} refused the token (${reason}): give a valid --token or TOWERLESS_TOKEN`,
        status,
      );
    if (status === 404) return new ApiError(`${about}: not found on ${this.connection.url}`, status);
    return new ApiError(`${about}: ${reason}`, status);
  }

  private notAwx(url: string, answer: string): ApiError {
    return new ApiError(
      `${this.connection.url} does not answer as an AWX API (${new URL(url).pathname} gave ${answer})`,
      0,
    );
  }
}

interface Page<T> {
  readonly next: string | null;
  readonly results: T[];
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * AWX's error bodies in one line: `{"detail": "..."}`, `{"error": "..."}`, or messages by field
 * (`{"playbook": ["This field is required."]}`, nested for credential inputs) as
 * `playbook: This field is required.`.
 */
export function awxReason(body: unknown, field = ''): string {
  if (typeof body === 'string') return field ? `${field}: ${body}` : body;
  if (Array.isArray(body)) return body.map((item) => awxReason(item, field)).join('; ');
  if (body === null || typeof body !== 'object') return body === null ? '' : String(body);
  return Object.entries(body)
    .map(([key, value]) => {
      const named = key === 'detail' || key === 'error' || key === '__all__' ? field : key;
      return awxReason(value, field && named !== field ? `${field}.${named}` : named);
    })
    .join('; ');
}

/** Why fetch failed, in words (its own message is only "fetch failed"). */
function unreachable(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is the server running, on that port?)',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'the host name cannot be resolved now',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
  };
  if ((error as Error).name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return (cause?.code && reasons[cause.code]) ?? cause?.message ?? (error as Error).message;
}
