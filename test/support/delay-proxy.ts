import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  /** host:port of the proxy. */
  address: string;
  port: number;
  /** From now on, every chunk from the target reaches the client this much later. */
  setDelay(ms: number): void;
  /** Down: every open connection is cut and new ones are refused, as when the store behind stops; up again: it answers. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real store or service whose answers can be slowed down (a request
 * stays "in flight" for as long as a test needs) or that can be taken down and up again (the
 * store stops and comes back), without mocking anything it talks to.
 */
export async function startDelayProxy(target: { host: string; port: number }): Promise<DelayProxy> {
  let delayMs = 0;
  let down = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (delayMs === 0) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), delayMs);
    });
    upstream.once('end', () => setTimeout(() => client.end(), delayMs));
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => setTimeout(() => client.destroy(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    port,
    setDelay: (ms) => {
      delayMs = ms;
    },
    setDown: (value) => {
      down = value;
      if (down) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
