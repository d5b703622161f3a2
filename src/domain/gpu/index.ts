export * from './types.ts';
export * from './verdict.ts';
