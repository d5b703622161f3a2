// The overlay dependency rules: which derived models read a base folder's shards, the question asked before
// deleting that base, the notice after, the refusal of an overlay whose base is gone, and missing URLs.

import { describe, expect, test } from 'vitest';
import {
	deleteBaseQuestion,
	deletedWithBaseNotice,
	dependentsOf,
	missingBaseMessage,
	missingUrls
} from '../../../src/domain/webllm-cache/dependencies.ts';

const BASE = 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q0f16-MLC/resolve/main/';
const rows = [
	{ id: 'd1', label: 'SmolLM2 + LoRA aaaaaaaa', baseModelId: 'SmolLM2', overlayOf: BASE },
	{ id: 'd2', label: 'SmolLM2 + LoRA aaaaaaaa, scale 0.5', baseModelId: 'SmolLM2', overlayOf: BASE },
	{ id: 'd3', label: 'SmolLM2 + LoRA bbbbbbbb (old, self-contained)', baseModelId: 'SmolLM2' },
	{ id: 'd4', label: 'Qwen + LoRA cccccccc', baseModelId: 'Qwen', overlayOf: 'https://huggingface.co/mlc-ai/Qwen/resolve/main/' }
];

describe('overlay dependencies', () => {
	test('only overlays of that folder depend on it; self-contained models never do', () => {
		expect(dependentsOf(BASE, rows).map((d) => d.id)).toEqual(['d1', 'd2']);
		expect(dependentsOf('https://example.com/other/resolve/main/', rows)).toEqual([]);
	});

	test('the question and the notice name the derived models', () => {
		expect(deleteBaseQuestion(rows.slice(0, 2))).toBe(
			"2 derived models use this base's files (SmolLM2 + LoRA aaaaaaaa, SmolLM2 + LoRA aaaaaaaa, scale 0.5): delete them too?"
		);
		expect(deleteBaseQuestion(rows.slice(0, 1))).toBe("1 derived model uses this base's files (SmolLM2 + LoRA aaaaaaaa): delete it too?");
		expect(deletedWithBaseNotice('SmolLM2', rows.slice(0, 1))).toBe(
			'Also deleted SmolLM2 + LoRA aaaaaaaa: it read its weights from SmolLM2.'
		);
	});

	test('a missing base is refused in words; missing URLs are listed in order', () => {
		expect(missingBaseMessage('SmolLM2')).toBe(
			'This derived model reads its untouched weights from SmolLM2, which is no longer downloaded: download the base again or delete this derived model.'
		);
		expect(missingUrls([`${BASE}a.bin`, `${BASE}b.bin`, `${BASE}c.bin`], new Set([`${BASE}b.bin`]))).toEqual([
			`${BASE}a.bin`,
			`${BASE}c.bin`
		]);
	});
});
