import neo4j, { type Driver } from 'neo4j-driver';
import { readLegacy } from './driver.js';

/** How many legacy records of each kind there are (orphan messages included: they are records too). */
export async function countLegacyRecords(driver: Driver): Promise<{ sessions: number; messages: number; feedback: number; documents: number }> {
  const [record] = await readLegacy(
    driver,
    `CALL () { MATCH (n:ConversationSession) RETURN count(n) AS sessions }
     CALL () { MATCH (n:Message) RETURN count(n) AS messages }
     CALL () { MATCH (n:UserFeedback) RETURN count(n) AS feedback }
     CALL () { MATCH (n:Document) RETURN count(n) AS documents }
     RETURN sessions, messages, feedback, documents`,
  );
  const number = (key: string) => neo4j.integer.toNumber((record?.get(key) as number) ?? 0);
  return { sessions: number('sessions'), messages: number('messages'), feedback: number('feedback'), documents: number('documents') };
}
