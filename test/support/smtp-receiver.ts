import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps every message it receives, parsed as a mail client would. */
export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  /** Messages in arrival order, with the envelope's recipients. */
  readonly mails: ReadonlyArray<ParsedMail & { readonly recipients: readonly string[] }>;
  close(): Promise<void>;
}

/** Plain SMTP without authentication: what a relay inside a private network accepts. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: Array<ParsedMail & { recipients: string[] }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(Object.assign(mail, { recipients: session.envelope.rcptTo.map((r) => r.address) }));
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
