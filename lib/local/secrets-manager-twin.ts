import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileSealingKey, KeySealer } from '../store/sealer';
import type { DataFolder } from './data-folder';
import { jsonObjectOf, UnreadableRequest } from './json-request';
import { SecretFiles } from './secret-files';
import { secretsManagerOperations, SecretsManagerError, type Operation } from './secrets-manager-operations';
import { listenOnSocket, privateSocket, socketClientConfig } from './unix-socket';

/**
 * The local twin of AWS Secrets Manager: an HTTP server speaking its AWS JSON 1.1 protocol
 * (`X-Amz-Target: secretsmanager.<Operation>`) on a Unix socket in the data folder, reached by the
 * AWS SDK's real client. Secrets persist in the data folder, their values sealed with its sealing
 * key. Requests are not signature-checked: only the folder's owner can reach the socket (see
 * docs/local-data.md).
 */
export interface SecretsManagerTwin {
  /** The socket it listens on, for more clients: `new SecretsManagerClient(socketClientConfig(socket))`. */
  readonly socket: string;
  /** A client bound to the twin. */
  readonly client: SecretsManagerClient;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'secretsmanager.';
/** Larger than any valid request (a 64 KiB value, every character escaped). */
const MAX_BODY_BYTES = 1 << 20;

/** Starts the twin. Call while holding the data folder's lock (a local session holds it). */
export async function openSecretsManagerTwin(data: DataFolder): Promise<SecretsManagerTwin> {
  const operations = secretsManagerOperations(
    new SecretFiles(data.secretsManager),
    new KeySealer(fileSealingKey(data.sealingKey)),
  );
  const server = createServer(
    (request, response) => void answerSecretsManagerRequest(operations, request, response),
  );
  const socket = privateSocket(data.root, 'secrets.sock');
  try {
    await listenOnSocket(server, socket.path);
  } catch (error) {
    socket.remove();
    throw error;
  }
  const client = new SecretsManagerClient(socketClientConfig(socket.path));
  return {
    socket: socket.path,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      socket.remove();
    },
  };
}

/** Answers one request of the AWS JSON 1.1 protocol (the tests serve it on TCP too). */
export async function answerSecretsManagerRequest(
  operations: Record<string, Operation>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let status = 200;
  let body: Record<string, unknown>;
  try {
    const operation = operationOf(operations, request);
    body = await operation(await serviceJsonOf(request));
  } catch (error) {
    const known =
      error instanceof SecretsManagerError
        ? error
        : new SecretsManagerError('InternalServiceError', (error as Error).message, 500);
    status = known.status;
    body = { __type: known.type, Message: known.message };
  }
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    // A body left unread (too large) cannot be skipped to reach the next request.
    ...(request.complete ? {} : { connection: 'close' }),
  });
  response.end(JSON.stringify(body));
}

function operationOf(operations: Record<string, Operation>, request: IncomingMessage): Operation {
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (request.method !== 'POST' || !Object.hasOwn(operations, name))
    throw new SecretsManagerError(
      'UnknownOperationException',
      `the local Secrets Manager twin does not do ${String(target)}`,
    );
  return operations[name];
}

async function serviceJsonOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return await jsonObjectOf(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof UnreadableRequest)
      throw new SecretsManagerError('SerializationException', error.message);
    throw error;
  }
}
