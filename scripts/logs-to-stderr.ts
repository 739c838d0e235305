/**
 * Import this first in a script whose stdout carries its results (`npm run bench -- --json`):
 * every log line, from this thread, its worker threads and its child processes, then goes to
 * stderr, and stdout holds the results alone. First, because ES modules run in import order and
 * the root logger picks its destination when server/core/logger.ts loads.
 */
process.env.LOG_DESTINATION ||= 'stderr';

export {};
