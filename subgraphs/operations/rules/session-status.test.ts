import { describe, expect, it } from 'vitest';
import { checkRenamable, checkTransition, checkWritable } from './session-status.js';

describe('session status transitions', () => {
  it.each([
    ['active', 'ended'],
    ['active', 'archived'],
    ['ended', 'archived'],
  ] as const)('allows %s -> %s', (from, to) => {
    expect(() => checkTransition('s1', from, to)).not.toThrow();
  });

  it.each([
    ['active', 'active', 'Session s1 is ACTIVE and cannot become ACTIVE: it can only become ENDED or ARCHIVED'],
    ['ended', 'ended', 'Session s1 is ENDED and cannot become ENDED: it can only become ARCHIVED'],
    ['ended', 'active', 'Session s1 is ENDED and cannot become ACTIVE: it can only become ARCHIVED'],
    ['archived', 'ended', 'Session s1 is ARCHIVED and cannot become ENDED: it can no longer change'],
  ] as const)('refuses %s -> %s with CONFLICT', (from, to, message) => {
    expect(() => checkTransition('s1', from, to)).toThrowError(expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'CONFLICT' }) }));
  });

  it('takes messages only in active sessions and renames until archived', () => {
    expect(() => checkWritable('s1', 'active', 'posting')).not.toThrow();
    expect(() => checkWritable('s1', 'ended', 'posting')).toThrow('Session s1 is ENDED: posting needs an ACTIVE session');
    expect(() => checkRenamable('s1', 'ended')).not.toThrow();
    expect(() => checkRenamable('s1', 'archived')).toThrow('archived sessions are read-only');
  });
});
