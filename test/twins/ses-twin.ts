import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * Amazon SES (v2) on loopback, as far as sending goes: SendEmail (`POST /v2/email/outbound-emails`,
 * REST-JSON) with raw content, through the real SESv2 client. Each message is kept as a mail
 * client would read it, with the identity it was sent as.
 */
export interface SesTwin {
  readonly endpoint: string;
  readonly sent: { readonly identityArn?: string; readonly mail: ParsedMail }[];
  close(): Promise<void>;
}

export async function startSesTwin(): Promise<SesTwin> {
  const sent: SesTwin['sent'][number][] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        if (request.method !== 'POST' || request.url !== '/v2/email/outbound-emails') {
          response.writeHead(404, { 'x-amzn-errortype': 'NotFoundException' });
          response.end(
            JSON.stringify({ message: `the SES twin does not do ${request.method} ${request.url}` }),
          );
        }
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          FromEmailAddressIdentityArn?: string;
          Content: { Raw: { Data: string } };
        };
        const mail = await simpleParser(Buffer.from(input.Content.Raw.Data, 'base64'));
        sent.push({ identityArn: input.FromEmailAddressIdentityArn, mail });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ MessageId: randomUUID() }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
