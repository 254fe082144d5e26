import { loadConfig } from '../lib/config.js';
import { generateSchemaFiles, writeGeneratedFiles } from './generated-files.js';

/**
 * `npm run compose`: writes the supergraph (composed from the subgraphs' code, routing to the
 * configured local ports) and each subgraph's SDL into schema/. `npm run check:generated`
 * tells whether they are current.
 */
const { files } = generateSchemaFiles(loadConfig());
writeGeneratedFiles(files);
console.log(`wrote ${[...files.keys()].join(', ')}`);
