// Content-addressed ids for derived models and the adapter hash they are built from.
// Pure TS (uses the Web Crypto API present in browsers and Node 20): no node:/svelte/dexie/web-llm imports.

/**
 * Id of a base model with an adapter merged in: `${base}+lora-${hash12}` plus `-x${scale}` when
 * scale ≠ 1. Only URL-safe characters ([A-Za-z0-9._+-]) are used.
 * @throws RangeError for a hash that is not 64 hex digits or a scale that is not a positive finite number
 */
export function derivedModelId(baseModelId: string, adapterSha256: string, scale = 1): string {
	if (!/^[0-9a-f]{64}$/i.test(adapterSha256)) {
		throw new RangeError('adapterSha256 must be 64 hexadecimal digits');
	}
	if (!Number.isFinite(scale) || scale <= 0) throw new RangeError('scale must be a positive number');
	const safeBase = baseModelId.replace(/[^A-Za-z0-9._+-]/g, '_');
	const hash = adapterSha256.slice(0, 12).toLowerCase();
	const suffix = scale === 1 ? '' : `-x${String(scale).replace(/[^0-9.e+-]/gi, '_')}`;
	return `${safeBase}+lora-${hash}${suffix}`;
}

/**
 * SHA-256 (hex) identifying an adapter: hashes the config bytes, a zero byte and the tensor bytes, so a
 * different lora_alpha with the same tensors gets another id.
 */
export async function adapterSha256(configBytes: Uint8Array, tensorBytes: Uint8Array): Promise<string> {
	const all = new Uint8Array(configBytes.byteLength + 1 + tensorBytes.byteLength);
	all.set(configBytes, 0);
	all.set(tensorBytes, configBytes.byteLength + 1);
	const digest = await crypto.subtle.digest('SHA-256', all);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
