// Public surface of prompt recipes: templates, sampling validation, message building, hashing.
export * from './types.ts';
export * from './errors.ts';
export * from './template.ts';
export * from './sampling.ts';
export * from './messages.ts';
export * from './hash.ts';
