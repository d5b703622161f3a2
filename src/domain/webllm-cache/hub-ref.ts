// Hugging Face Hub references typed by the user ("owner/name", "https://huggingface.co/owner/name",
// ".../tree/<rev>") and the resolve URLs of files in them. Pure TS: no DOM/web-llm imports.

import { ModelUrlError } from './urls.ts';

export interface HubRef {
	repo: string;
	revision: string;
}

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/**
 * Parses a Hub repo id or URL.
 * @throws ModelUrlError with an example of what is accepted
 */
export function parseHubRef(input: string): HubRef {
	const text = input.trim();
	let path = text;
	let revision = 'main';
	if (/^https?:\/\//i.test(text)) {
		let u: URL;
		try {
			u = new URL(text);
		} catch {
			throw new ModelUrlError(`"${input}" is not a valid URL; paste e.g. https://huggingface.co/owner/adapter-name`);
		}
		if (u.hostname !== 'huggingface.co') {
			throw new ModelUrlError(`Only huggingface.co URLs are accepted; "${u.hostname}" is not one.`);
		}
		const parts = u.pathname.split('/').filter(Boolean);
		if ((parts[2] === 'tree' || parts[2] === 'resolve' || parts[2] === 'blob') && parts[3]) revision = decodeURIComponent(parts[3]);
		path = parts.slice(0, 2).join('/');
	}
	const [owner, name, ...rest] = path.split('/');
	if (rest.length > 0 || !owner || !name || !PART.test(owner) || !PART.test(name) || name.includes('..')) {
		throw new ModelUrlError(`"${input}" is not a Hub repo; enter it as owner/name, e.g. someone/smollm2-lora`);
	}
	if (!/^[A-Za-z0-9._/-]{1,100}$/.test(revision) || revision.includes('..')) {
		throw new ModelUrlError(`Revision "${revision}" is not valid; use a branch name or commit hash.`);
	}
	return { repo: `${owner}/${name}`, revision };
}

/** https://huggingface.co/<repo>/resolve/<rev>/<file> */
export function hubFileUrl(ref: HubRef, fileName: string): string {
	const file = fileName.split('/').map(encodeURIComponent).join('/');
	return `https://huggingface.co/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${file}`;
}
