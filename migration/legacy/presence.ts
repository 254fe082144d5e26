import type { Driver } from 'neo4j-driver';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { readLegacy } from './driver.js';

/** Whether the legacy store holds records of each domain (a deployment that has not moved yet). */
export async function legacyHoldsData(driver: Driver): Promise<Record<MigrationDomain, boolean>> {
  const [record] = await readLegacy(
    driver,
    `RETURN EXISTS { MATCH (:ConversationSession) } OR EXISTS { MATCH (:Message) } AS sessions,
            EXISTS { MATCH (:UserFeedback) } AS feedback,
            EXISTS { MATCH (:Document) } AS documents`,
  );
  return { sessions: record?.get('sessions') === true, feedback: record?.get('feedback') === true, documents: record?.get('documents') === true };
}
