import { appendFileSync } from 'node:fs';
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

/**
 * Preloaded into a process under test (`--import`): appends every outgoing TCP connection, UDP
 * datagram and DNS lookup the process attempts to the file CONNECTION_LOG, one line each
 * (`connect host:port`, `udp host:port`, `lookup name`). Everything Node sends goes through these.
 */
const file = process.env.CONNECTION_LOG;
if (!file) throw new Error('connection-recorder needs CONNECTION_LOG');
const record = (line: string) => appendFileSync(file, `${line}\n`);
/** An address given as an IP is no lookup: Node answers it without asking anyone. */
const recordLookup = (hostname: string) => net.isIP(hostname) === 0 && record(`lookup ${hostname}`);

function describeTarget(args: unknown[]): string {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const options = first as { path?: string; host?: string; port?: number | string };
    return options.path ?? `${options.host ?? 'localhost'}:${options.port}`;
  }
  const second = Array.isArray(args[0]) ? undefined : args[1];
  return `${typeof second === 'string' ? second : 'localhost'}:${String(first)}`;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function recordedConnect(this: net.Socket, ...args: unknown[]) {
  record(`connect ${describeTarget(args)}`);
  return (connect as (...rest: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function recordedSend(this: dgram.Socket, ...args: unknown[]) {
  const port = args.find((arg) => typeof arg === 'number' && arg > 0);
  const host = args.find((arg) => typeof arg === 'string');
  record(`udp ${String(host)}:${String(port)}`);
  return (send as (...rest: unknown[]) => void).apply(this, args);
} as typeof send;

const lookup = dns.lookup;
dns.lookup = function recordedLookup(hostname: string, ...rest: unknown[]) {
  recordLookup(hostname);
  return (lookup as (...all: unknown[]) => void).call(dns, hostname, ...rest);
} as typeof dns.lookup;
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function recordedPromiseLookup(hostname: string, ...rest: unknown[]) {
  recordLookup(hostname);
  return (lookupPromise as (...all: unknown[]) => Promise<unknown>).call(dns.promises, hostname, ...rest);
} as typeof dns.promises.lookup;
