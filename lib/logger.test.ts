import { describe, expect, it } from 'vitest';
import { loggableError } from './logger.js';

describe('loggableError', () => {
  it('keeps what explains a failed statement and drops its parameters (record contents)', () => {
    const cause = Object.assign(new Error('new row for relation "messages" violates check constraint "messages_role_check"'), { code: '23514', constraint: 'messages_role_check' });
    const error = new Error('Failed query: INSERT INTO messages (content) VALUES ($1)\nparams: my private diagnosis\nsecond line of it', { cause });
    error.stack = `${error.message}\n    at insertMessage (messages.ts:1:1)`;
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain('private diagnosis');
    expect(logged).not.toContain('second line');
    expect(logged).toContain('INSERT INTO messages');
    expect(logged).toContain('messages_role_check');
    expect(logged).toContain('insertMessage (messages.ts:1:1)');
  });
});
