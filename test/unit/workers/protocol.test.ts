// Covers the worker protocol types with expectTypeOf: every request carries an id and a literal
// type, every worker message carries an id, result values are typed per request kind, and
// payloads exclude type and id.
import { describe, expectTypeOf, test } from 'vitest';
import type { CachedModel } from '../../../src/domain/catalog/index.ts';
import type { GenerateResult, LoadProgress, SerializedEngineError } from '../../../src/domain/engine/index.ts';
import type { LlmRequest, LlmRequestPayload, LlmResultMessage, LlmWorkerMessage, RequestId } from '../../../src/workers/protocol.ts';

describe('protocol typing', () => {
	test('requests are discriminated on type and all have an id', () => {
		expectTypeOf<LlmRequest['id']>().toEqualTypeOf<RequestId>();
		expectTypeOf<LlmRequest['type']>().toEqualTypeOf<
			| 'load'
			| 'generate'
			| 'cancel'
			| 'cancelAll'
			| 'residentModels'
			| 'unload'
			| 'countTokens'
			| 'registerModels'
			| 'listCached'
			| 'hasInCache'
			| 'deleteCached'
		>();
		expectTypeOf<Extract<LlmRequest, { type: 'load' }>>().toEqualTypeOf<{
			type: 'load';
			id: RequestId;
			modelIds: string[];
		}>();
		expectTypeOf<Extract<LlmRequest, { type: 'cancel' }>>().toEqualTypeOf<{
			type: 'cancel';
			id: RequestId;
		}>();
	});

	test('worker messages are progress | chunk | result | error with an id', () => {
		expectTypeOf<LlmWorkerMessage['type']>().toEqualTypeOf<'progress' | 'chunk' | 'result' | 'error'>();
		expectTypeOf<LlmWorkerMessage['id']>().toEqualTypeOf<RequestId>();
		expectTypeOf<Extract<LlmWorkerMessage, { type: 'progress' }>['progress']>().toEqualTypeOf<LoadProgress>();
		expectTypeOf<Extract<LlmWorkerMessage, { type: 'error' }>['error']>().toEqualTypeOf<SerializedEngineError>();
	});

	test('result values are typed by kind', () => {
		expectTypeOf<Extract<LlmResultMessage, { kind: 'generate' }>['value']>().toEqualTypeOf<GenerateResult>();
		expectTypeOf<Extract<LlmResultMessage, { kind: 'listCached' }>['value']>().toEqualTypeOf<CachedModel[]>();
		expectTypeOf<Extract<LlmResultMessage, { kind: 'countTokens' }>['value']>().toEqualTypeOf<number | null>();
		expectTypeOf<Extract<LlmResultMessage, { kind: 'cancelAll' }>['value']>().toEqualTypeOf<{
			cancelled: RequestId[];
		}>();
		expectTypeOf<LlmResultMessage['kind']>().not.toEqualTypeOf<'cancel'>();
	});

	test('payloads carry neither type nor id', () => {
		expectTypeOf<LlmRequestPayload<'deleteCached'>>().toEqualTypeOf<{ modelId: string }>();
		// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the payload of a request without fields is exactly {}
		expectTypeOf<LlmRequestPayload<'listCached'>>().toEqualTypeOf<{}>();
	});
});
