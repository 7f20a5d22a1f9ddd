import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { LinkDecision } from '../approvals/approval-links';
import type { ApprovalRecord, WorkflowJobRecord } from '../store/records';

/**
 * The approval page a signed link opens (docs/approvals.md): what is being approved and by whom
 * it was launched, and the form that decides it. Every value is escaped by `html`; the page loads
 * nothing else (its style is inline and the Content-Security-Policy forbids anything more).
 */

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PendingView {
  readonly approval: ApprovalRecord;
  readonly job: WorkflowJobRecord;
  /** The decision the link names: its button is the one focused. */
  readonly decision: LinkDecision;
  /** Where each decision's form posts (the signed link of that decision). */
  readonly actions: Readonly<Record<LinkDecision, string>>;
  readonly csrfToken: string;
}

export function pendingPage(view: PendingView): Page {
  const { approval, job } = view;
  const button = (decision: LinkDecision, label: string) =>
    html` <form method="post" action="${view.actions[decision]}">
      <input type="hidden" name="csrf" value="${view.csrfToken}" />
      <button type="submit" class="${decision}" ${view.decision === decision ? raw('autofocus') : ''}>
        ${label}
      </button>
    </form>`;
  return layout(
    `Approve ${approval.name}?`,
    html`<h1>${approval.name}</h1>
      ${approval.description ? html`<p class="description">${approval.description}</p>` : ''}
      <dl>
        <dt>Workflow</dt>
        <dd>${job.name} (job ${job.id})</dd>
        <dt>Node</dt>
        <dd>${approval.node}</dd>
        <dt>Launched by</dt>
        <dd>${job.launched_by?.username ?? `a ${job.launch_type} launch`}</dd>
        <dt>Expires</dt>
        <dd>${approval.expires ? utc(approval.expires) : 'never'}</dd>
      </dl>
      <h2>Launch variables</h2>
      <pre>${variablesText(job)}</pre>
      <div class="actions">${button('approve', 'Approve')} ${button('deny', 'Deny')}</div>`,
  );
}

/** The answer to a link of an approval that is no longer pending: who decided it, and when. */
export function decidedPage(approval: ApprovalRecord, justNow: boolean): Page {
  const title = justNow ? `${outcomeWord(approval)}` : 'Already decided';
  return layout(
    title,
    html`<h1>${approval.name}</h1>
      <p class="outcome">
        ${justNow ? '' : 'This approval was already decided. '}${decisionSentence(approval)}
      </p>`,
  );
}

/** A link that cannot be used: forged or altered, expired, unknown, or a form from elsewhere. */
export function refusalPage(title: string, message: string): Page {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p class="refusal">${message}</p>`,
  );
}

function decisionSentence(approval: ApprovalRecord): string {
  const at = approval.decided ? ` at ${utc(approval.decided)}` : '';
  switch (approval.status) {
    case 'approved':
    case 'denied': {
      const who = approval.decided_by
        ? approval.decided_by.username
        : approval.decided_via === 'link'
          ? 'someone with its approval link'
          : 'the person running the workflow';
      return `${outcomeWord(approval)} by ${who}${at}.`;
    }
    case 'timed_out':
      return `It expired${at}, after ${approval.timeout} seconds without a decision.`;
    case 'canceled':
      return `Its workflow was canceled${at}.`;
    case 'pending':
      return 'It is still waiting for a decision.';
  }
}

function outcomeWord(approval: ApprovalRecord): string {
  return approval.status === 'approved' ? 'Approved' : approval.status === 'denied' ? 'Denied' : 'Decided';
}

/** The launch variables as the record shows them: survey passwords are `$encrypted$` there already. */
function variablesText(job: WorkflowJobRecord): string {
  return Object.keys(job.extra_vars).length === 0 ? '(none)' : JSON.stringify(job.extra_vars, null, 2);
}

function utc(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

function layout(title: string, body: Page): Page {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Towerless</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 40rem;
            margin: 2rem auto;
            padding: 0 1rem;
            color: #1b1f24;
          }
          dl {
            display: grid;
            grid-template-columns: max-content auto;
            gap: 0.3rem 1rem;
          }
          dt {
            font-weight: 600;
          }
          pre {
            background: #f3f4f6;
            padding: 0.75rem;
            overflow-x: auto;
          }
          .actions {
            display: flex;
            gap: 1rem;
            margin-top: 1.5rem;
          }
          button {
            font-size: 1rem;
            padding: 0.6rem 1.6rem;
            border: 0;
            border-radius: 4px;
            color: #fff;
            cursor: pointer;
          }
          button.approve {
            background: #1f7a34;
          }
          button.deny {
            background: #b42318;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}
