import type { ContinuousJob, PeriodicJob } from './types.js';

/** The jobs luoshi runs, in the order a slot's jobs run when several fall due at once. */
export const PERIODIC_JOBS: readonly PeriodicJob[] = [];

/** The jobs every runner does a round of on each tick and after each slot's run. */
export const CONTINUOUS_JOBS: readonly ContinuousJob[] = [];
