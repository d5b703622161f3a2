// Covers classifyEngineError: each failure web-llm, fetch or WebGPU produces (as Error objects,
// DOMExceptions, plain strings from a worker, odd values) maps to the right EngineError code with
// advice; EngineErrors pass through unchanged; unknown input stays 'unknown' with its message.
import { describe, expect, test } from 'vitest';
import { EngineError, adviceFor, classifyEngineError, type EngineErrorCode } from '../../../src/domain/engine/index.ts';

function named(name: string, message: string): Error {
	const e = new Error(message);
	e.name = name;
	return e;
}

const CASES: [string, unknown, EngineErrorCode][] = [
	['web-llm DeviceLostError', named('DeviceLostError', 'The WebGPU device was lost while loading the model.'), 'device-lost'],
	['device lost log string', 'Device was lost. This can happen due to insufficient memory', 'device-lost'],
	['GPU OOM', named('GPUOutOfMemoryError', 'Out of memory'), 'out-of-memory'],
	['wasm allocation', new RangeError('Array buffer allocation failed'), 'out-of-memory'],
	['ShaderF16SupportError', named('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16'), 'missing-shader-f16'],
	['WebGPUNotAvailableError', named('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'), 'no-webgpu'],
	['no navigator.gpu', new TypeError("Cannot read properties of undefined (reading 'requestAdapter')"), 'no-webgpu'],
	['fetch failed', new TypeError('Failed to fetch'), 'network'],
	['firefox network', new TypeError('NetworkError when attempting to fetch resource.'), 'network'],
	['cache.add on 404', new TypeError("Failed to execute 'add' on 'Cache': Request failed"), 'model-files-missing'],
	['tvmjs Cannot fetch', 'Error: Cannot fetch https://x/resolve/main/params_shard_0.bin', 'model-files-missing'],
	['index.html instead of JSON', new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), 'model-files-missing'],
	['HTTP 404 text', 'HTTP 404 Not Found', 'model-files-missing'],
	['unknown record', named('ModelNotFoundError', 'Cannot find model record in appConfig for x'), 'model-files-missing'],
	['DOMException abort', new DOMException('The operation was aborted.', 'AbortError'), 'aborted'],
	['web-llm unload abort reason', 'Engine.unload() is called.', 'aborted'],
	['something else', new Error('kaboom'), 'unknown'],
	['a number', 42, 'unknown'],
	['a plain object with message', { name: 'X', message: 'Device was lost' }, 'device-lost']
];

describe('classifyEngineError', () => {
	test.each(CASES)('%s', (_label, raw, code) => {
		const e = classifyEngineError(raw);
		expect(e).toBeInstanceOf(EngineError);
		expect(e.code).toBe(code);
		expect(e.advice).toBe(adviceFor(code));
		expect(e.advice.length).toBeGreaterThan(20);
	});

	test('keeps the original message text', () => {
		expect(classifyEngineError(new Error('kaboom')).message).toBe('kaboom');
		expect(classifyEngineError(42).message).toBe('42');
	});

	test('an EngineError passes through unchanged', () => {
		const e = new EngineError('endpoint-refused', 'HTTP 401', 'check key');
		expect(classifyEngineError(e)).toBe(e);
	});

	test('a wasm crash "Aborted(...)" is not mistaken for a user cancel', () => {
		expect(classifyEngineError('Aborted(OOM). Build with -sASSERTIONS').code).not.toBe('aborted');
	});
});
