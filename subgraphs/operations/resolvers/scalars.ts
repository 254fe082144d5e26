/** Contract enum values to the lower-case values the database stores (Layer is stored as is). */
export const enumResolvers = {
  SessionStatus: { ACTIVE: 'active', ENDED: 'ended', ARCHIVED: 'archived' },
  MessageRole: { USER: 'user', ASSISTANT: 'assistant', SYSTEM: 'system' },
  FeedbackType: {
    HELPFUL: 'helpful',
    UNHELPFUL: 'unhelpful',
    INCORRECT: 'incorrect',
    PARTIALLY_CORRECT: 'partially_correct',
    MISSING_INFO: 'missing_info',
  },
  Severity: { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' },
  DocumentStatus: { PENDING: 'pending', PROCESSING: 'processing', COMPLETED: 'completed', FAILED: 'failed' },
  MigrationDomain: { SESSIONS: 'sessions', FEEDBACK: 'feedback', DOCUMENTS: 'documents' },
  MigrationStage: { LEGACY: 'legacy', DUAL_WRITE: 'dual_write', SHADOW: 'shadow', LIVE: 'live', RAMPDOWN: 'rampdown', COMPLETE: 'complete' },
};
