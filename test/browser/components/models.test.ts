// Covers the model components: ModelPicker (family groups, search, facts, disabled + reason for
// models this GPU can't run, cached badge, onSelect), ModelLoad (progress percent/bytes/time left,
// Cancel, error advice), CacheManager (friendly name with the id as secondary text, sizes,
// delete, persist button) and NoWebGpu (browser list,
// switch to endpoint).
import { describe, expect, test, vi } from 'vitest';
import { flushSync } from 'svelte';
import ModelPicker from '../../../src/components/models/ModelPicker.svelte';
import ModelLoad from '../../../src/components/models/ModelLoad.svelte';
import CacheManager from '../../../src/components/models/CacheManager.svelte';
import NoWebGpu from '../../../src/components/models/NoWebGpu.svelte';
import type { ModelOption } from '../../../src/state/view-types.ts';
import { button, byLabel, render, typeInto } from './helpers.ts';

const MODELS: ModelOption[] = [
	{
		id: 'Qwen-0.5B-q4f32',
		family: 'Qwen',
		label: 'Qwen 0.5B',
		parameters: '0.5B',
		quantization: 'q4f32_1',
		downloadBytes: 300 * 1024 ** 2,
		vramMB: 900,
		contextWindow: 4096,
		cached: true,
		verdict: { runnable: true }
	},
	{
		id: 'Qwen-1.5B-q4f16',
		family: 'Qwen',
		label: 'Qwen 1.5B',
		quantization: 'q4f16_1',
		cached: false,
		verdict: { runnable: false, reason: 'needs shader-f16' }
	},
	{ id: 'Smol-360M', family: 'SmolLM2', label: 'Smol 360M', quantization: 'q0f32', cached: false, verdict: { runnable: true } }
];

describe('ModelPicker', () => {
	test('groups by family, shows facts, disables what cannot run with the reason', () => {
		const root = render(ModelPicker, { models: MODELS, selectedId: 'Smol-360M', onSelect: () => {} });
		expect([...root.querySelectorAll('legend')].map((l) => l.textContent)).toEqual(['Qwen', 'SmolLM2']);
		const radios = [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')];
		expect(radios.map((r) => r.disabled)).toEqual([false, true, false]);
		expect(radios[2].checked).toBe(true);
		expect(root.textContent).toContain("Can't run here: needs shader-f16");
		expect(root.textContent).toContain('300.0 MB');
		expect(root.textContent).toContain('900.0 MB');
		expect(root.textContent).toContain('4,096');
		expect(root.querySelectorAll('.badge')).toHaveLength(1);
		expect(root.querySelector('[role=radiogroup]')?.getAttribute('aria-label')).toBe('Model');
	});

	test('search narrows the list; choosing a model calls onSelect', () => {
		const onSelect = vi.fn();
		const root = render(ModelPicker, { models: MODELS, selectedId: null, onSelect });
		typeInto(byLabel(root, 'Search models'), 'smol');
		const radios = [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')];
		expect(radios.map((r) => r.value)).toEqual(['Smol-360M']);
		radios[0].click();
		expect(onSelect).toHaveBeenCalledWith('Smol-360M');
		typeInto(byLabel(root, 'Search models'), 'nothing-like-this');
		expect(root.textContent).toContain('No model matches');
	});
});

describe('ModelLoad', () => {
	test('shows percent, bytes and time left while loading; Cancel dispatches', () => {
		const onCancel = vi.fn();
		const root = render(ModelLoad, {
			modelLabel: 'Smol',
			cached: false,
			loaded: false,
			loading: true,
			progress: { fraction: 0.25, loadedBytes: 1024 ** 2, totalBytes: 4 * 1024 ** 2, etaSeconds: 90, text: 'Fetching shard 1' },
			error: null,
			onLoad: () => {},
			onCancel
		});
		const bar = root.querySelector('progress')!;
		expect(bar.value).toBe(25);
		expect(bar.getAttribute('aria-label')).toBe('Model loading progress');
		expect(root.textContent).toContain('1.0 MB of 4.0 MB');
		expect(root.textContent).toContain('1 min 30 s left');
		button(root, 'Cancel loading').click();
		expect(onCancel).toHaveBeenCalledOnce();
	});

	test('idle: says whether cached and loads on click; errors show advice', () => {
		const onLoad = vi.fn();
		const root = render(ModelLoad, {
			modelLabel: 'Smol',
			cached: true,
			loaded: false,
			loading: false,
			progress: null,
			error: { message: 'Out of memory', advice: 'Pick a smaller model.' },
			onLoad,
			onCancel: () => {}
		});
		expect(root.textContent).toContain('cached');
		button(root, 'Load (from cache)').click();
		expect(onLoad).toHaveBeenCalledOnce();
		expect(root.querySelector('[role=alert]')?.textContent).toContain('Pick a smaller model.');
	});
});

describe('CacheManager', () => {
	test('lists cached models by friendly name, id as secondary text, with sizes; delete and persist dispatch', () => {
		const onDelete = vi.fn();
		const onPersist = vi.fn();
		const root = render(CacheManager, {
			entries: [
				{ id: 'm1-q4f32_1-MLC', label: 'Model 1B · q4f32_1', detail: 'm1-q4f32_1-MLC', sizeBytes: 2 * 1024 ** 3 },
				{ id: 'odd-one', label: 'odd-one' }
			],
			estimate: { usageBytes: 1024 ** 3, quotaBytes: 10 * 1024 ** 3 },
			persisted: false,
			onDelete,
			onPersist
		});
		const items = [...root.querySelectorAll('li')];
		expect(items).toHaveLength(2);
		expect(items[0].querySelector('.name')?.firstChild?.textContent?.trim()).toBe('Model 1B · q4f32_1');
		expect(items[0].querySelector('.detail')?.textContent).toBe('m1-q4f32_1-MLC');
		expect(items[1].querySelector('.detail')).toBeNull(); // no id repeated under an id
		expect(root.textContent).toContain('2.0 GB');
		expect(root.textContent).toContain('1.0 GB of about 10.0 GB');
		button(root, 'Delete m1-q4f32_1-MLC from this browser').click();
		expect(onDelete).toHaveBeenCalledWith('m1-q4f32_1-MLC');
		button(root, 'Keep data persistent').click();
		expect(onPersist).toHaveBeenCalledOnce();
		expect(root.querySelector('[role=status]')).toBeNull();
	});

	test('says what a deletion also removed', () => {
		const notice = 'Also removed M: it uses the same downloaded weights as M-1k.';
		const root = render(CacheManager, { entries: [], estimate: null, persisted: null, onDelete: () => {}, onPersist: () => {}, notice });
		expect(root.querySelector('[role=status]')?.textContent).toBe(notice);
	});
});

describe('NoWebGpu', () => {
	test('names the browsers that work and offers the endpoint engine', () => {
		const onUseEndpoint = vi.fn();
		const root = render(NoWebGpu, { reason: 'navigator.gpu is undefined', onUseEndpoint });
		for (const b of ['Chrome or Edge 113+', 'Chrome 121+ on Android', 'Safari 26+', 'Firefox 141+ on Windows']) {
			expect(root.textContent).toContain(b);
		}
		expect(root.textContent).toContain('navigator.gpu is undefined');
		button(root, 'Use an OpenAI-compatible endpoint').click();
		flushSync();
		expect(onUseEndpoint).toHaveBeenCalledOnce();
	});
});
