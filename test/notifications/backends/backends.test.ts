import { SMTPServer } from 'smtp-server';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mattermost, rocketchat } from '../../../lib/notifications/backends/chat';
import { email } from '../../../lib/notifications/backends/email';
import { slack } from '../../../lib/notifications/backends/slack';
import { webhook } from '../../../lib/notifications/backends/webhook';
import { startHttpReceiver, type HttpReceiver } from '../../support/http-receiver';

const options = { slackApiUrl: 'http://127.0.0.1:1/api' };
const message = {
  subject: "Job #7 'Deploy' successful: http://t/7",
  body: '{"id": 7, "status": "successful"}',
};
let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.map((close) => close()));
  closing = [];
});

async function receiver(...args: Parameters<typeof startHttpReceiver>): Promise<HttpReceiver> {
  const started = await startHttpReceiver(...args);
  closing.push(() => started.close());
  return started;
}

describe('webhook', () => {
  it("posts the body as JSON with Basic auth and the configuration's headers", async () => {
    const hook = await receiver();
    const sent = await webhook(
      {
        url: `${hook.url}/hook`,
        http_method: 'PUT',
        username: 'ops',
        password: 's3cret',
        headers: { 'X-Team': 'platform' },
        disable_ssl_verification: false,
      },
      message,
      options,
    );
    expect(sent).toBe(1);
    const [request] = hook.received;
    expect(request.method).toBe('PUT');
    expect(request.path).toBe('/hook');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`);
    expect(request.headers['x-team']).toBe('platform');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ id: 7, status: 'successful' });
  });

  it('sends {} for a body that is not a JSON object, as AWX does, and follows a 307', async () => {
    const hook = await receiver((request) => (request.path === '/old' ? { status: 307 } : { status: 200 }));
    // The receiver answers 307 without a Location first: that is AWX's "blank URL" error.
    await expect(
      webhook({ url: `${hook.url}/old`, http_method: 'POST', headers: {} }, message, options),
    ).rejects.toThrow('redirect to a blank URL');
    await webhook(
      { url: `${hook.url}/new`, http_method: 'POST', headers: {} },
      { ...message, body: 'not json' },
      options,
    );
    expect(hook.received.at(-1)!.body).toBe('{}');
  });

  it("fails with AWX's message on an error status, naming no secret", async () => {
    const hook = await receiver(() => ({ status: 500 }));
    const failure = webhook(
      {
        url: `${hook.url}/token-abc123`,
        http_method: 'POST',
        password: 'pw-canary',
        username: 'u',
        headers: {},
      },
      message,
      options,
    );
    await expect(failure).rejects.toThrow('Error sending webhook notification: 500');
    await expect(failure).rejects.not.toThrow(/pw-canary|token-abc123/);
  });
});

describe('webhook over https', () => {
  it('checks the certificate unless disable_ssl_verification is set', async () => {
    // A self-signed certificate, made by openssl for this test: no CA vouches for it.
    const folder = mkdtempSync(join(tmpdir(), 'towerless-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(folder, 'key.pem'),
        '-out',
        join(folder, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const bodies: string[] = [];
    const server = createServer(
      { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) },
      (request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          bodies.push(body);
          response.end('{}');
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closing.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const configuration = { url, http_method: 'POST', headers: {} };
    await expect(
      webhook({ ...configuration, disable_ssl_verification: false }, message, options),
    ).rejects.toThrow(/cannot reach https:\/\/127\.0\.0\.1:\d+ \(/);
    expect(await webhook({ ...configuration, disable_ssl_verification: true }, message, options)).toBe(1);
    expect(bodies).toEqual([JSON.stringify({ id: 7, status: 'successful' })]);
  });
});

describe('slack', () => {
  it('posts Block Kit messages with the bot token, and Approve/Deny link buttons for a waiting approval', async () => {
    const api = await receiver((request) =>
      request.headers.authorization === 'Bearer xoxb-test'
        ? { status: 200, body: { ok: true } }
        : { status: 200, body: { ok: false, error: 'invalid_auth' } },
    );
    const links = { approve_url: 'https://t/approve', deny_url: 'https://t/deny' };
    const sent = await slack(
      { token: 'xoxb-test', channels: ['#ops', 'dev,1700000000.000100'] },
      { ...message, links },
      { slackApiUrl: `${api.url}/api` },
    );
    expect(sent).toBe(2);
    expect(api.received.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.postMessage']);
    const [first, second] = api.received.map((r) => JSON.parse(r.body));
    expect(first).toMatchObject({ channel: 'ops', text: message.subject });
    expect(second).toMatchObject({ channel: 'dev', thread_ts: '1700000000.000100' });
    expect(first.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: message.subject } });
    expect(first.blocks[1].elements).toEqual([
      expect.objectContaining({ type: 'button', url: links.approve_url, style: 'primary' }),
      expect.objectContaining({ type: 'button', url: links.deny_url, style: 'danger' }),
    ]);
  });

  it("uses the deployment's token for a template that gives none, and refuses to post with no token at all", async () => {
    const api = await receiver((request) =>
      request.headers.authorization === 'Bearer xoxb-deployment'
        ? { status: 200, body: { ok: true } }
        : { status: 200, body: { ok: false, error: 'invalid_auth' } },
    );
    const settings = { slackApiUrl: `${api.url}/api`, slackToken: async () => 'xoxb-deployment' };
    expect(await slack({ token: '', channels: ['#ops'] }, message, settings)).toBe(1);
    await expect(slack({ token: 'xoxb-own', channels: ['#ops'] }, message, settings)).rejects.toThrow(
      '(invalid_auth)',
    );
    await expect(
      slack({ token: '', channels: ['#ops'] }, message, { slackApiUrl: `${api.url}/api` }),
    ).rejects.toThrow('Slack Notification has no token');
    expect(api.received).toHaveLength(2);
  });

  it("colours the blocks with hex_color, posts to an incoming webhook, and reports Slack's error", async () => {
    const api = await receiver(() => ({ status: 200, body: { ok: false, error: 'channel_not_found' } }));
    await expect(
      slack({ token: 'xoxb-x', channels: ['#nowhere'] }, message, { slackApiUrl: `${api.url}/api` }),
    ).rejects.toThrow(
      'Slack Notification unable to send #nowhere: ' + message.subject + ' (channel_not_found)',
    );
    const hook = await receiver();
    expect(
      await slack({ webhook_url: `${hook.url}/services/T/B/X`, hex_color: '#ff0000' }, message, options),
    ).toBe(1);
    const body = JSON.parse(hook.received[0].body);
    expect(body.attachments[0].color).toBe('#ff0000');
    expect(body.attachments[0].blocks[0].text.text).toBe(message.subject);
  });
});

describe('mattermost and rocketchat', () => {
  it("post the subject as text with the configuration's options", async () => {
    const hook = await receiver();
    await mattermost(
      {
        mattermost_url: `${hook.url}/hooks/abc`,
        mattermost_channel: ' ops ',
        mattermost_username: 'towerless',
      },
      message,
      options,
    );
    await rocketchat(
      { rocketchat_url: `${hook.url}/hooks/def`, rocketchat_icon_url: 'https://i/x.png' },
      message,
      options,
    );
    expect(hook.received.map((r) => [r.path, JSON.parse(r.body)])).toEqual([
      ['/hooks/abc', { text: message.subject, channel: 'ops', username: 'towerless' }],
      ['/hooks/def', { text: message.subject, icon_url: 'https://i/x.png' }],
    ]);
    const failing = await receiver(() => ({ status: 403 }));
    await expect(rocketchat({ rocketchat_url: failing.url }, message, options)).rejects.toThrow(
      'Error sending notification rocket.chat: 403',
    );
  });
});

describe('email', () => {
  it('sends through a real SMTP server with authentication', async () => {
    const mails: { from: string; to: string[]; data: string; user?: string }[] = [];
    const server = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'smtp-pw')
          callback(null, { user: auth.username });
        else callback(new Error('bad credentials'));
      },
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closing.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.server.address() as AddressInfo;
    const configuration = {
      host: '127.0.0.1',
      port,
      username: 'mailer',
      password: 'smtp-pw',
      use_tls: false,
      use_ssl: false,
      sender: 'towerless@example.com',
      recipients: ['ops@example.com', 'dev@example.com'],
      timeout: 5,
    };
    expect(
      await email(configuration, { subject: message.subject, body: 'Job #7 had status successful' }, options),
    ).toBe(1);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'towerless@example.com',
      to: ['ops@example.com', 'dev@example.com'],
      user: 'mailer',
    });
    expect(mails[0].data).toContain(`Subject: ${message.subject}`);
    expect(mails[0].data).toContain('Job #7 had status successful');
    const refused = email({ ...configuration, password: 'wrong-pw-canary' }, message, options);
    await expect(refused).rejects.toThrow(/Error sending email/);
    await expect(refused).rejects.not.toThrow(/wrong-pw-canary/);
  });
});
