import { postMessage, startSession } from './conversation-script.js';
import type { MigrationWorld } from './world.js';

/** Every write a load made that the API accepted, by kind, and every one it refused. */
export interface WriteLog {
  sessions: string[];
  messages: string[];
  feedback: string[];
  failures: string[];
}

export const emptyLog = (): WriteLog => ({ sessions: [], messages: [], feedback: [], failures: [] });

/**
 * Writes `count` times through the API at about `perSecond`, from `workers` callers: mostly
 * messages (questions and answers with response ids), new sessions, feedback on answers nobody
 * rated yet. `onWrite(n)` is called before the n-th write (a test takes a store down there).
 */
export async function writeLoad(
  world: MigrationWorld,
  prefix: string,
  options: { count: number; perSecond: number; workers: number; log: WriteLog; onWrite?: (n: number) => void; via?: (n: number) => MigrationWorld },
): Promise<void> {
  const clinician = await world.token('clinician');
  const service = await world.token('service');
  const patients = Array.from({ length: 5 }, (_, index) => `${prefix}-patient-${index}`);
  const openSessions: { id: string; patient: string }[] = [];
  const unrated: string[] = [];
  let issued = 0;
  const started = Date.now();
  const record = async (kind: keyof Omit<WriteLog, 'failures'>, write: () => Promise<string>) => {
    try {
      options.log[kind].push(await write());
    } catch (error) {
      options.log.failures.push(`${kind}: ${(error as Error).message}`);
    }
  };
  const worker = async () => {
    for (;;) {
      const n = issued;
      if (n >= options.count) return;
      issued += 1;
      const due = started + (n * 1000) / options.perSecond;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      options.onWrite?.(n);
      const target = options.via?.(n) ?? world;
      const roll = n % 10;
      if (openSessions.length < 5 || roll === 0) {
        const patient = patients[n % patients.length] as string;
        await record('sessions', async () => {
          const id = await startSession(target, clinician, patient, `Load ${n}`);
          openSessions.push({ id, patient });
          return id;
        });
      } else if (roll <= 2 && unrated.length > 0) {
        const responseId = unrated.shift() as string;
        await record('feedback', async () => {
          const result = await target.gql<{ submitThumbs: { id: string } }>(`mutation($r: ID!) { submitThumbs(responseId: $r, up: ${n % 2 === 0}) { id } }`, { r: responseId }, clinician);
          if (!result.data) throw new Error(JSON.stringify(result.errors));
          return result.data.submitThumbs.id;
        });
      } else {
        const session = openSessions[n % openSessions.length] as { id: string };
        const answer = roll % 2 === 1;
        const responseId = `${prefix}-r-${n}`;
        await record('messages', async () => {
          const id = answer
            ? await postMessage(target, service, session.id, 'ASSISTANT', `Answer ${n}`, { responseId, confidence: 0.8, mentions: [`${prefix}-entity`] })
            : await postMessage(target, clinician, session.id, 'USER', `Question ${n} about a cough`);
          if (answer) unrated.push(responseId);
          return id;
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
}
