import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { checkContract } from '../../gateway/contract-check.js';
import { composeProjectSupergraph } from '../../scripts/compose-supergraph.js';
import { loadConfig } from '../../lib/config.js';

const contractFile = new URL('../../../shared/contract.graphql', import.meta.url);
const supergraphFile = new URL('../../schema/supergraph.graphql', import.meta.url);

describe('the composed supergraph', () => {
  it('is the checked-in schema/supergraph.graphql (run npm run compose after changing a subgraph)', async () => {
    // The checked-in file routes to the default local ports, whatever this machine's environment says.
    const composed = await composeProjectSupergraph(loadConfig({}));
    expect(composed).toBe(await readFile(supergraphFile, 'utf8'));
  });

  it('serves an API schema with every type, field, argument and operation of the client contract', async () => {
    const gateway = new ApolloGateway({ supergraphSdl: await readFile(supergraphFile, 'utf8') });
    const { schema } = await gateway.load();
    try {
      expect(checkContract(await readFile(contractFile, 'utf8'), schema)).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });
});
