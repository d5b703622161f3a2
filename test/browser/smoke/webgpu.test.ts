import { expect, test } from 'vitest';
test('real WebGPU adapter is available', async () => {
	const adapter = await navigator.gpu.requestAdapter();
	expect(adapter).not.toBeNull();
});
