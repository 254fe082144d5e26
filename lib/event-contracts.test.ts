import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventContracts, streams, type EventType } from './event-contracts.js';

/** The rows of the events table of docs/federation-contract.md: stream, type, version, producer → consumer, top-level payload fields. */
function documentedEvents() {
  const text = readFileSync(new URL('../docs/federation-contract.md', import.meta.url), 'utf8');
  return [...text.matchAll(/^\| `synapse:([^`]+)` \| `([^`]+)` \| (\d+) \| (\w+) → ([\w, ]+) \| `\{ (.*?) \}`/gm)].map((match) => ({
    stream: match[1],
    type: match[2],
    version: Number(match[3]),
    route: `${match[4]} → ${match[5]}`,
    // top-level fields only: `quality: { ... }` is one field
    fields: (match[6] ?? '').replace(/\{[^}]*\}/g, '').split(',').map((field) => field.replace(/:.*/, '').trim()).filter(Boolean).sort(),
  }));
}

describe('the event contracts', () => {
  it('are the table of docs/federation-contract.md, row for row', () => {
    const declared = (Object.entries(eventContracts) as [EventType, (typeof eventContracts)[EventType]][]).map(([type, contract]) => ({
      stream: streams[contract.stream],
      type,
      version: contract.version,
      route: `${contract.producer} → ${[contract.consumer].flat().join(', ')}`,
      fields: Object.keys(contract.payload.shape).sort(),
    }));
    expect(documentedEvents()).toEqual(declared);
  });
});
