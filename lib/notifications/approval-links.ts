import type { ApprovalRecord } from '../store/records';
/** Signed one-click links for an approval's decision (lib/approvals builds them). */
export interface ApprovalLinkIssuer {
  links(approval: ApprovalRecord): Promise<{ readonly approve_url: string; readonly deny_url: string }>;
}
