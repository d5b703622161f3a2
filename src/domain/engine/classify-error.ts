// Turns whatever web-llm, fetch or WebGPU threw (Error objects, or plain strings when it crossed a
// worker) into one EngineError with a code and advice the UI can show.
// Pure: no web-llm, DOM or worker imports. Patterns were read from web-llm 0.2.86 lib/index.js.

import { EngineError, type EngineErrorCode } from './errors.ts';

interface Rule {
	code: EngineErrorCode;
	/** Tested against "<name>: <message>" of the raw error. */
	pattern: RegExp;
}

/** First match wins, so the narrow causes come before the broad ones. */
const RULES: Rule[] = [
	{
		code: 'aborted',
		pattern: /AbortError|(?:operation|request|user|load) (?:was )?aborted|signal is aborted|Engine\.unload\(\) is called/i
	},
	{ code: 'missing-shader-f16', pattern: /shader-f16|ShaderF16SupportError/i },
	{
		code: 'no-webgpu',
		pattern:
			/WebGPUNotAvailableError|WebGPUNotFoundError|WebGPU is not supported|Cannot find WebGPU|navigator\.gpu|requestAdapter|No (?:WebGPU )?adapter/i
	},
	{
		code: 'device-lost',
		pattern: /DeviceLostError|Device was lost|device (?:is |was )?lost|device has been lost|Instance dropped/i
	},
	{
		code: 'out-of-memory',
		pattern: /out of memory|\bOOM\b|GPUOutOfMemoryError|allocation failed|Failed to allocate|Not enough memory|exceeds the (?:max|limit)/i
	},
	{
		code: 'model-files-missing',
		pattern:
			/\b404\b|Not Found|Cannot fetch|Network response was not ok|Request failed|is not valid JSON|Unexpected token '?<|<!doctype|ModelNotFoundError|Cannot find model record|MissingModelError|Missing `model_lib`/i
	},
	{
		code: 'network',
		pattern: /Failed to fetch|NetworkError|network error|Load failed|net::ERR|ECONNREFUSED|ENOTFOUND|fetch failed/i
	}
];

const ADVICE: Record<EngineErrorCode, string> = {
	'device-lost':
		'The GPU dropped the model (often from running out of GPU memory). Reload the page and pick a smaller model or a shorter context.',
	'out-of-memory':
		'The model does not fit in GPU memory. Close other GPU-heavy tabs, pick a smaller or more quantized model (q4), or use the endpoint engine.',
	'missing-shader-f16': 'This GPU/browser lacks the shader-f16 feature that f16 models need. Pick a q4f32_1 or q0f32 model instead.',
	'no-webgpu':
		'WebGPU is not available. Use Chrome/Edge 113+, Safari 26+ or Firefox 141+ on Windows (or enable the WebGPU flag), or use an OpenAI-compatible endpoint instead.',
	network: 'A download failed. Check your connection and retry; files already downloaded stay cached, so the load resumes.',
	'endpoint-refused': 'The endpoint refused the request. Check the base URL, the API key and the model name.',
	'model-files-missing':
		"The model's files could not be found at its URL. Check the model record's URL, or delete and re-download the model.",
	aborted: 'Cancelled. Start again when you are ready.',
	'not-resident': "Load the comparison's models first; the engine will not swap models while other answers stream.",
	unknown: 'Unexpected engine failure. Reload the page and try again; if it persists, report the message.'
};

/** The advice text shown for an error code. */
export function adviceFor(code: EngineErrorCode): string {
	return ADVICE[code];
}

function describe(raw: unknown): { name: string; message: string } {
	if (raw instanceof Error) return { name: raw.name, message: raw.message };
	if (typeof raw === 'string') return { name: '', message: raw };
	if (raw && typeof raw === 'object') {
		const o = raw as { name?: unknown; message?: unknown };
		if (typeof o.message === 'string') return { name: typeof o.name === 'string' ? o.name : '', message: o.message };
	}
	return { name: '', message: String(raw) };
}

/**
 * Maps a raw failure (Error, DOMException, string, or anything thrown) to an EngineError.
 * @param raw what was thrown or posted
 * @returns an EngineError; an EngineError passed in is returned unchanged
 */
export function classifyEngineError(raw: unknown): EngineError {
	if (raw instanceof EngineError) return raw;
	const { name, message } = describe(raw);
	const haystack = name ? `${name}: ${message}` : message;
	const rule = RULES.find((r) => r.pattern.test(haystack));
	const code = rule?.code ?? 'unknown';
	const text = message.trim() || name || 'Unknown error';
	return new EngineError(code, text, ADVICE[code]);
}
