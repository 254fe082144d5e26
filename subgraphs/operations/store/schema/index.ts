export * from './documents.js';
export * from './events.js';
export * from './feedback.js';
export * from './platform.js';
export * from './sessions.js';
