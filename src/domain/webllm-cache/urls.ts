// URLs of model files as web-llm computes them: the record's `model` cleaned to a folder URL ending
// in resolve/<rev>/ (web-llm cleanModelUrl), each file at new URL(name, folder). Derived models live
// under `${origin}/derived/<id>/resolve/main/` on the app's own origin.
// Pure TS: no svelte/dexie/DOM/worker/web-llm imports.

/** Thrown when a URL or id cannot address a model folder; the message says what to pass instead. */
export class ModelUrlError extends Error {
	override name = 'ModelUrlError';
}

/**
 * The folder URL web-llm reads a model from (web-llm's cleanModelUrl: trailing slash, then
 * "resolve/main/" unless the URL already has /resolve/<x>/).
 * @throws ModelUrlError when `model` is not an absolute http(s) URL
 */
export function modelFolderUrl(model: string): string {
	let url = model.endsWith('/') ? model : `${model}/`;
	if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ModelUrlError(`"${model}" is not an absolute URL; web-llm needs http(s)://… for a model folder.`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new ModelUrlError(`"${model}" is not an http(s) URL; web-llm fetches model files over http(s).`);
	}
	return parsed.href;
}

/** Absolute URL of one file of a model folder, exactly as web-llm requests it. */
export function modelFileUrl(folderUrl: string, fileName: string): string {
	return new URL(fileName, folderUrl).href;
}

const SAFE_ID = /^[A-Za-z0-9._+-]+$/;

/**
 * Where a derived model's files are written: `${origin}/derived/<id>/resolve/main/`.
 * @param origin e.g. location.origin ("http://localhost:5173")
 * @param modelId a content-addressed id (URL-safe characters only, see derivedModelId)
 * @throws ModelUrlError for an origin that is not http(s) or an id with other characters
 */
export function derivedFolderUrl(origin: string, modelId: string): string {
	if (!SAFE_ID.test(modelId) || modelId === '.' || modelId === '..') {
		throw new ModelUrlError(`Derived model id "${modelId}" may only hold letters, digits and . _ + -`);
	}
	let o: URL;
	try {
		o = new URL(origin);
	} catch {
		throw new ModelUrlError(`"${origin}" is not an origin such as http://localhost:5173`);
	}
	if (o.protocol !== 'http:' && o.protocol !== 'https:') {
		throw new ModelUrlError(`"${origin}" is not an http(s) origin; derived models need one.`);
	}
	return modelFolderUrl(`${o.origin}/derived/${modelId}/resolve/main/`);
}

/** True when `url` lies inside the folder `folderUrl` (a plain prefix test on normalised URLs). */
export function isUnderFolder(url: string, folderUrl: string): boolean {
	return url.startsWith(folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`);
}
