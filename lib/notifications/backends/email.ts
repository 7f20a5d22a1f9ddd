import { createTransport } from 'nodemailer';
import type { Backend } from './backend';

/**
 * Email over SMTP (AWX's CustomEmailBackend, Django's SMTP backend): `use_ssl` connects with TLS
 * at once, `use_tls` upgrades with STARTTLS and insists on it; neither sends in clear, as
 * Django does. One message to all `recipients`, the body as plain text.
 */
export const email: Backend = async (configuration, message) => {
  const username = String(configuration.username ?? '');
  const password = String(configuration.password ?? '');
  const timeout = Number(configuration.timeout) * 1000;
  const transport = createTransport({
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
  try {
    await transport.sendMail({
      from: String(configuration.sender),
      to: (configuration.recipients as unknown[]).map(String),
      subject: message.subject,
      text: message.body,
    });
  } catch (error) {
    // nodemailer's messages name the server and the SMTP answer, never the password.
    throw new Error(`Error sending email: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
  return 1;
};
