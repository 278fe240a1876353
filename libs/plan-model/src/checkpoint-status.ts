import type { CheckpointStatus } from './schema.js';

/** The statuses of a checkpoint that no longer holds what it gates. */
export const CLEARED_STATUSES: readonly CheckpointStatus[] = ['PASSED', 'WAIVED'];
const CLEARED: ReadonlySet<string> = new Set<string>(CLEARED_STATUSES);

/** A checkpoint passed or waived: it no longer holds what it gates. */
export const isCleared = (status: unknown): boolean => typeof status === 'string' && CLEARED.has(status);
