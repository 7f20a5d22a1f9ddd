import { createTransport } from 'nodemailer';
import { html } from 'hono/html';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Backend, OutgoingMessage, SesSending } from './backend';

/**
 * The message's text; for an approval that waits, its links follow the text, and an HTML
 * alternative shows them as Approve and Deny buttons (docs/approvals.md).
 */
function content(message: OutgoingMessage): { text: string; html?: string } {
  if (!message.links) return { text: message.body };
  const { approve_url, deny_url } = message.links;
  const button = (url: string, label: string, colour: string) =>
    html`<a
      href="${url}"
      style="display:inline-block;padding:10px 24px;margin-right:12px;border-radius:4px;color:#ffffff;background:${colour};text-decoration:none;font-weight:600"
      >${label}</a
    >`;
  return {
    text: `${message.body}\n\nApprove: ${approve_url}\nDeny: ${deny_url}\n`,
    html: html`<!doctype html>
      <html>
        <body style="font-family:sans-serif">
          <pre style="white-space:pre-wrap;font-family:inherit">${message.body}</pre>
          <p>${button(approve_url, 'Approve', '#1f7a34')}${button(deny_url, 'Deny', '#b42318')}</p>
        </body>
      </html>`.toString(),
  };
}

/**
 * Email over SMTP (AWX's CustomEmailBackend, Django's SMTP backend): `use_ssl` connects with TLS
 * at once, `use_tls` upgrades with STARTTLS and insists on it; neither sends in clear, as
 * Django does. Or, deployed with an SES identity, through SES's API as that identity. One message
 * to all `recipients`, the body as plain text (with buttons for an approval's links).
 */
export const email: Backend = async (configuration, message, options) => {
  const transport = options.ses ? sesTransport(options.ses) : smtpTransport(configuration);
  try {
    await transport.sendMail({
      from: String(configuration.sender),
      to: (configuration.recipients as unknown[]).map(String),
      subject: message.subject,
      ...content(message),
      ...(options.ses ? { ses: { FromEmailAddressIdentityArn: options.ses.identityArn } } : {}),
    });
  } catch (error) {
    // nodemailer's messages name the server and its answer, never the password.
    throw new Error(`Error sending email: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
  return 1;
};

function sesTransport(ses: SesSending) {
  return createTransport({ SES: { sesClient: ses.client, SendEmailCommand } });
}

function smtpTransport(configuration: Readonly<Record<string, unknown>>) {
  const username = String(configuration.username ?? '');
  const password = String(configuration.password ?? '');
  const timeout = Number(configuration.timeout) * 1000;
  return createTransport({
    host: String(configuration.host),
    port: Number(configuration.port),
    secure: configuration.use_ssl === true,
    requireTLS: configuration.use_tls === true,
    ignoreTLS: configuration.use_tls !== true && configuration.use_ssl !== true,
    auth: username || password ? { user: username, pass: password } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}
