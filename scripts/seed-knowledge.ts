import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.js';
import { seedKnowledge } from '../subgraphs/knowledge/seed/seed-knowledge.js';

/** npm run seed:knowledge [-- --scale N] [-- --no-events] */
const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'no-events': { type: 'boolean', default: false } } });
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1 || scale > 100) {
  console.error(`--scale must be an integer from 1 to 100, got ${values.scale}`);
  process.exit(2);
}

const result = await seedKnowledge(loadConfig(), { scale, events: !values['no-events'] });
console.log(
  `seed:knowledge scale ${scale}: ${result.entities} entities, ${result.relations} relationships, ${result.patients} patients` +
    `${values['no-events'] ? '' : `, ${result.events} entity.upserted events`} in ${(result.ms / 1000).toFixed(1)} s`,
);
