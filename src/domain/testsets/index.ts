// The test sets module's public surface: read a file (CSV, JSON Lines, JSON, promptfoo test cases),
// check it against a template, hash an item, write a set back out.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
export { parseTestSetFile, detectFormat, formatTestSetError, type TestSetFormat } from './parse.ts';
export { checkAgainstTemplate, type TemplateCheck } from './template-check.ts';
export { hashTestItem } from './hash.ts';
export { testSetToJsonl, testSetToCsv } from './serialize.ts';
export { scanJson, type JsonScan } from './depth.ts';
export * from './types.ts';
