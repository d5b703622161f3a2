export * from './types.ts';
export * from './errors.ts';
export * from './classify-error.ts';
export * from './load-progress.ts';
export * from './answer-stats.ts';
export * from './sampling-fields.ts';
export * from './residency-plan.ts';
