// Where two answers differ, word by word (jsdiff's diffWords), as segments a view can highlight.
// Pure: no svelte, dexie, DOM or web-llm imports.
import { diffWords } from 'diff';

export interface DiffSegment {
	text: string;
	/** 'same' in both, 'only-a' in the first answer, 'only-b' in the second. */
	kind: 'same' | 'only-a' | 'only-b';
}

/** Word-level differences between answers a and b. */
export function wordDiff(a: string, b: string): DiffSegment[] {
	return diffWords(a, b).map((c) => ({ text: c.value, kind: c.added ? 'only-b' : c.removed ? 'only-a' : 'same' }));
}
