import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, type Server } from 'node:http';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The local twins of AWS services (the DynamoDB store, Secrets Manager) listen on Unix sockets in
 * the private data folder, never on TCP ports: any local user could otherwise reach them. The AWS
 * SDK's real clients reach them through an HTTP agent that connects to the socket (see
 * docs/local-data.md).
 */

/** Unix socket paths are limited to 108 bytes (sun_path); longer data folder paths use a private temp folder. */
const MAX_SOCKET_PATH = 100;

export interface PrivateSocket {
  readonly path: string;
  /** Removes the socket file (and its temp folder, if it needed one). */
  remove(): void;
}

/** Where a twin's socket goes: `name` in the data folder `root`, or a mode-700 temp folder. */
export function privateSocket(root: string | undefined, name: string): PrivateSocket {
  const inFolder = root === undefined ? undefined : join(root, name);
  // The limit is in bytes: a path of non-ASCII names is longer than it looks.
  if (inFolder !== undefined && Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) {
    rmSync(inFolder, { force: true }); // left by a killed process
    return { path: inFolder, remove: () => rmSync(inFolder, { force: true }) };
  }
  // mkdtemp creates the folder with mode 700.
  const folder = mkdtempSync(join(tmpdir(), 'towerless-'));
  return { path: join(folder, name), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export function listenOnSocket(server: Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * What an AWS SDK client needs to talk to a twin on `socket`: a local endpoint, any credentials
 * (a twin checks no signature: only its owner can reach the socket) and the socket's agent.
 */
export function socketClientConfig(socket: string) {
  return {
    endpoint: 'http://localhost',
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { httpAgent: unixSocketAgent(socket) },
    signer: unsigned,
  };
}

/**
 * Performance: a twin checks no signature, so requests to it are not signed. SigV4 (hashing each
 * body, an HMAC per request) took about a third of the client's CPU per store read, and every API
 * call makes several. dynalite only wants a header shaped like a signature: a fixed one is sent.
 */
const unsigned = {
  sign: async <T extends { headers: Record<string, string> }>(request: T): Promise<T> => {
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20000101/local/twin/aws4_request, SignedHeaders=host, Signature=0';
    request.headers['x-amz-date'] = '20000101T000000Z';
    return request;
  },
};

/** An HTTP agent whose connections go to a Unix socket, for the AWS SDK's Node HTTP handler. */
function unixSocketAgent(socket: string): Agent {
  const agent = new Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => ReturnType<typeof createConnection> }).createConnection =
    () => createConnection(socket);
  return agent;
}
