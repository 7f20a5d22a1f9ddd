import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApprovalRecord } from '../store/records';

/**
 * One-click approval links (docs/approvals.md): `<base>/api/towerless/approval_links/<id>/<decision>/`
 * with the approval's expiry and an HMAC-SHA256 signature over the approval, the decision and that
 * expiry, so a link can be neither forged nor turned into another approval's or the other
 * decision's. A link is single-use because its approval is: once decided, every link of it only
 * says so. Opening a link shows a page; only posting its form (with a CSRF token bound to the
 * visitor's cookie) decides, so mail scanners that open links decide nothing.
 */
export const DECISIONS = ['approve', 'deny'] as const;
export type LinkDecision = (typeof DECISIONS)[number];

/** Where the links and their page live (under the API's own prefix for Towerless's additions). */
export const APPROVAL_LINKS_PATH = '/api/towerless/approval_links';

/** Why a link is refused: it was not made here (or was altered), or its approval has expired. */
export type LinkVerdict = 'valid' | 'forged' | 'expired';

/** The query a link carries. */
export interface LinkQuery {
  /** Unix seconds; absent for an approval that never expires. */
  readonly expires?: string;
  readonly signature?: string;
}

/** Every purpose the key signs for, so a signature made for one is never valid for another. */
const PURPOSE = { link: 'towerless-approval-link-v1', csrf: 'towerless-approval-csrf-v1' } as const;

export class ApprovalLinks {
  constructor(
    private readonly key: Buffer,
    /** The server's public URL (AWX's TOWER_URL_BASE), read when a link is made. */
    private readonly baseUrl: () => string,
  ) {}

  /** The signed Approve and Deny links of a pending approval, for its notifications. */
  async links(
    approval: ApprovalRecord,
  ): Promise<{ readonly approve_url: string; readonly deny_url: string }> {
    return { approve_url: this.url(approval, 'approve'), deny_url: this.url(approval, 'deny') };
  }

  url(approval: Pick<ApprovalRecord, 'id' | 'expires'>, decision: LinkDecision): string {
    const expires =
      approval.expires === null ? undefined : String(Math.floor(Date.parse(approval.expires) / 1000));
    const query = new URLSearchParams({
      ...(expires === undefined ? {} : { expires }),
      signature: this.sign(PURPOSE.link, approval.id, decision, expires ?? 'never'),
    });
    return `${this.baseUrl().replace(/\/+$/, '')}${pathOf(approval.id, decision)}?${query}`;
  }

  /** Whether a link's query was signed here for this approval and decision, and is still in time. */
  verify(id: number, decision: LinkDecision, query: LinkQuery, now = Date.now()): LinkVerdict {
    const expected = this.sign(PURPOSE.link, id, decision, query.expires ?? 'never');
    if (!query.signature || !sameText(query.signature, expected)) return 'forged';
    return query.expires !== undefined && Number(query.expires) * 1000 <= now ? 'expired' : 'valid';
  }

  /** A new visitor nonce for the CSRF cookie (csrfToken gives the form token that matches it). */
  csrfNonce(): string {
    return randomBytes(18).toString('base64url');
  }

  csrfToken(nonce: string): string {
    return this.sign(PURPOSE.csrf, nonce);
  }

  /** Whether a posted form token belongs to the visitor's cookie nonce. */
  verifyCsrf(nonce: string | undefined, token: string | undefined): boolean {
    return nonce !== undefined && token !== undefined && sameText(token, this.csrfToken(nonce));
  }

  private sign(purpose: string, ...parts: ReadonlyArray<string | number>): string {
    return createHmac('sha256', this.key)
      .update([purpose, ...parts].join('\n'))
      .digest('base64url');
  }
}

export function pathOf(id: number, decision: LinkDecision): string {
  return `${APPROVAL_LINKS_PATH}/${id}/${decision}/`;
}

/** Constant-time comparison, so a signature cannot be guessed byte by byte from timings. */
function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
