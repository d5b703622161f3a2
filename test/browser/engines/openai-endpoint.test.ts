// Covers the endpoint engine's error paths with the browser's real fetch (Chromium's own error
// texts): a closed port is a 'network' error, and a server that is not an OpenAI endpoint (the
// Vite test server answers with its HTML page) is 'endpoint-refused' with a clear message.
// Streaming against the OpenAI test server is covered in Node (test/unit/engines) and in e2e.
import { describe, expect, test } from 'vitest';
import { createEndpointEngine } from '../../../src/engines/openai-endpoint.ts';
import { rejection } from '../../helpers/engine-rejection.ts';

describe('endpoint engine in the browser', () => {
	test('nothing listening → network error with advice about the server and CORS', async () => {
		const engine = createEndpointEngine({ baseUrl: 'http://localhost:1' });
		const e = await rejection(engine.listModels());
		expect(e.code).toBe('network');
		expect(e.message).toMatch(/localhost:1\/v1\/models/);
		expect(e.advice).toMatch(/CORS/);
	});

	test('a page that is not an OpenAI server → endpoint-refused', async () => {
		const engine = createEndpointEngine({ baseUrl: location.origin });
		const e = await rejection(engine.listModels());
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toMatch(/model list|HTTP/);
	});
});
