// `npm run bench` step (Vitest project bench-browser, real Chromium IndexedDB): runs the history
// benchmark and writes bench-results/history.json. Measures only; asserts nothing about speed.
import { commands } from 'vitest/browser';
import { expect, test } from 'vitest';
import { main } from './history.bench-page.ts';

test('history: open db + first page with 10,000 runs', async () => {
	const result = await main();
	expect(result.runs).toBe(10_000);
	await commands.writeFile('bench-results/history.json', JSON.stringify(result, null, 2));
});
