import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { APPROVAL_LINKS_PATH, DECISIONS, type LinkDecision } from '../../approvals/approval-links';
import { ApprovalNotPendingError } from '../../jobs/approvals';
import type { ApprovalRecord, WorkflowJobRecord } from '../../store/records';
import { decidedPage, pendingPage, refusalPage } from '../approval-page';
import type { ApiEnv } from '../context';

/**
 * The pages signed approval links open (docs/approvals.md). Public: the signature is the
 * credential. A GET only shows; a POST of the page's form, with the CSRF token bound to the
 * visitor's cookie, decides. Refusals keep their HTTP status for scripts: 403 for a forged link
 * or form, 410 for an expired link or an approval already decided, 404 for an unknown one.
 */
const CSRF_COOKIE = 'towerless_approval_csrf';

export const approvalLinkPages = new Hono<ApiEnv>()
  .use('*', async (c, next) => {
    await next();
    // The URL holds the signature: it must not leak through a Referer, a cache or a frame.
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  })
  .get('/:id/:decision/', async (c) => {
    const link = await checkedLink(c);
    if (link instanceof Response) return link;
    const links = c.get('services').approvalLinks;
    const nonce = getCookie(c, CSRF_COOKIE) ?? links.csrfNonce();
    setCookie(c, CSRF_COOKIE, nonce, {
      path: APPROVAL_LINKS_PATH,
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
    });
    const action = (decision: LinkDecision) => relative(links.url(link.approval, decision));
    return c.html(
      pendingPage({
        ...link,
        actions: { approve: action('approve'), deny: action('deny') },
        csrfToken: links.csrfToken(nonce),
      }),
    );
  })
  .post('/:id/:decision/', async (c) => {
    const link = await checkedLink(c);
    if (link instanceof Response) return link;
    const links = c.get('services').approvalLinks;
    const form = await c.req.parseBody();
    if (!links.verifyCsrf(getCookie(c, CSRF_COOKIE), typeof form.csrf === 'string' ? form.csrf : undefined))
      return c.html(
        refusalPage(
          'Form refused',
          'This form did not come from the approval page opened in this browser. Open the link again.',
        ),
        403,
      );
    const { execution, activity, jobs } = c.get('services');
    const { id } = link.approval;
    try {
      // Recorded in the activity stream like an API call's decision, by no user: by the link.
      await activity.during(null, async () => {
        await (link.decision === 'approve'
          ? execution.approve(id, null, 'link')
          : execution.deny(id, null, 'link'));
        return true;
      });
    } catch (error) {
      if (!(error instanceof ApprovalNotPendingError)) throw error;
      return c.html(decidedPage((await jobs.getApproval(id))!, false), 410);
    }
    return c.html(decidedPage((await jobs.getApproval(id))!, true));
  });

interface CheckedLink {
  readonly approval: ApprovalRecord;
  readonly job: WorkflowJobRecord;
  readonly decision: LinkDecision;
}

/** The link's pending approval, or the page that refuses it. */
async function checkedLink(c: Context<ApiEnv>): Promise<CheckedLink | Response> {
  const decision = c.req.param('decision') as LinkDecision;
  const id = Number(c.req.param('id'));
  if (!DECISIONS.includes(decision) || !Number.isSafeInteger(id) || id < 1)
    return c.html(refusalPage('Not found', 'There is no approval link here.'), 404);
  const { approvalLinks, jobs } = c.get('services');
  const verdict = approvalLinks.verify(id, decision, {
    expires: c.req.query('expires'),
    signature: c.req.query('signature'),
  });
  if (verdict === 'forged')
    return c.html(
      refusalPage(
        'Link refused',
        'This approval link is not valid: it was altered or not made by this server.',
      ),
      403,
    );
  const approval = await jobs.getApproval(id);
  if (!approval) return c.html(refusalPage('Not found', 'This approval no longer exists.'), 404);
  if (approval.status !== 'pending') return c.html(decidedPage(approval, false), 410);
  const lapsed = approval.expires !== null && Date.parse(approval.expires) <= Date.now();
  if (verdict === 'expired' || lapsed)
    return c.html(
      refusalPage(
        'Link expired',
        `This approval expired at ${approval.expires}: it can no longer be decided.`,
      ),
      410,
    );
  const job = (await jobs.getWorkflowJob(approval.workflowJob))!;
  return { approval, job, decision };
}

/** A link's path and query: the form posts back to this server whatever its public name. */
function relative(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
