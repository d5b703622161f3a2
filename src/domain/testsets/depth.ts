// A cheap pass over JSON text before JSON.parse: the nesting depth (stopping as soon as it is too
// deep, so a file of ten million "[" costs one short loop and no memory) and the line on which each
// item of the test set starts — the root array's elements, or those of the root object's "items"
// array — so later errors can name lines. Strings are respected (brackets inside them do not count).
// It does not check that the text is valid JSON; JSON.parse does that afterwards.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.

export interface JsonScan {
	/** Deepest nesting seen (the scan stops at limit + 1). */
	depth: number;
	/** 1-based line where the too-deep bracket is, or null when the depth stayed within the limit. */
	tooDeepAt: number | null;
	/** 1-based start line of each item, in order (see the header). */
	itemLines: number[];
	/** Character offset where each item starts (same order as itemLines). */
	itemStarts: number[];
	/** Offset of the bracket closing the items' array, or null when it never closes. */
	itemsEnd: number | null;
}

interface Frame {
	kind: '[' | '{';
	/** Arrays: the next non-blank character starts an element. */
	expectValue: boolean;
	/** Objects: the next string is a key. */
	expectKey: boolean;
	/** Objects: the last key read at this level. */
	lastKey: string | null;
	/** Arrays: record element start lines. */
	record: boolean;
}

/**
 * Scans `text` (JSON, or one JSON Lines line with `firstLine` as its line number) for depth and item
 * start lines, stopping once the nesting exceeds `limit`.
 */
export function scanJson(text: string, limit: number, firstLine = 1): JsonScan {
	const stack: Frame[] = [];
	const itemLines: number[] = [];
	const itemStarts: number[] = [];
	let itemsEnd: number | null = null;
	let line = firstLine;
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			line++;
			continue;
		}
		if (c === 32 || c === 9 || c === 13) continue;
		const top = stack[stack.length - 1];
		if (top && top.kind === '[' && top.expectValue && c !== 93) {
			top.expectValue = false;
			if (top.record) {
				itemLines.push(line);
				itemStarts.push(i);
			}
		}
		if (c === 34) {
			// a string: read to its closing quote, honouring backslash escapes
			const start = i + 1;
			i++;
			while (i < text.length && text.charCodeAt(i) !== 34) {
				if (text.charCodeAt(i) === 92) i++;
				else if (text.charCodeAt(i) === 10) line++;
				i++;
			}
			if (top && top.kind === '{' && top.expectKey) {
				top.lastKey = text.slice(start, Math.min(i, start + 64));
				top.expectKey = false;
			}
		} else if (c === 91 || c === 123) {
			depth = Math.max(depth, stack.length + 1);
			if (stack.length + 1 > limit) return { depth, tooDeepAt: line, itemLines, itemStarts, itemsEnd };
			const isArray = c === 91;
			const record = isArray && (stack.length === 0 || (stack.length === 1 && stack[0].kind === '{' && stack[0].lastKey === 'items'));
			stack.push({ kind: isArray ? '[' : '{', expectValue: isArray, expectKey: !isArray, lastKey: null, record });
		} else if (c === 93 || c === 125) {
			if (top?.record && c === 93 && itemsEnd === null) itemsEnd = i;
			stack.pop();
		} else if (c === 44 && top) {
			if (top.kind === '[') top.expectValue = true;
			else top.expectKey = true;
		}
	}
	return { depth, tooDeepAt: null, itemLines, itemStarts, itemsEnd };
}
