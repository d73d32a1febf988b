import { createServer } from 'node:net';

/**
 * Returns a TCP port on 127.0.0.1 that the OS handed out a moment ago and that is free again now.
 * Another process may take it before the caller binds it: callers must detect that and retry.
 */
export async function freeLocalPort(): Promise<number> {
  const server = createServer();
  try {
    return await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('a socket listening on 127.0.0.1:0 reported no port'));
      });
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
