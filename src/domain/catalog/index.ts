export * from './types.ts';
export * from './parse-record.ts';
export * from './group.ts';
export * from './cache-plan.ts';
export * from './load-catalog.ts';
