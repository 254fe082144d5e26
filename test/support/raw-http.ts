import { connect } from 'node:net';

/**
 * Sends a request exactly as written (no URL normalisation, which fetch would do) and returns the
 * status and body of the answer: for request lines and headers no well-behaved client sends.
 */
export function sendRawHttp(port: number, request: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    // no answer in time: status -1 (the caller decides whether waiting was right)
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: -1, body: received });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    // written, not ended: a client that half-closes gets no answer to a request still being worked on
    socket.write(request);
  });
}
