import type { CheckpointStatus } from './schema.js';

const CLEARED: ReadonlySet<string> = new Set<CheckpointStatus>(['PASSED', 'WAIVED']);

/** A checkpoint passed or waived: it no longer holds what it gates. */
export const isCleared = (status: unknown): boolean => typeof status === 'string' && CLEARED.has(status);
