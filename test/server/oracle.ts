// The deterministic "task model" behind the test server's oracle-base / oracle-lora models: a
// sentiment labeller whose accuracy grows with the LoRA adapter's strength and with few-shot examples,
// so a test can compute the exact expected answer of a prompt-engineered base and of a tuned model.
// Pure TypeScript (no node:, no DOM), so Node and browser tests can import it.

export type OracleLabel = 'positive' | 'negative' | 'neutral';

export interface OracleMessage {
	role: string;
	content: string;
}

const POSITIVE = /\b(good|great|love|excellent|perfect)\b/i;
const NEGATIVE = /\b(bad|broken|terrible|hate|awful|refund)\b/i;
const NEXT: Record<OracleLabel, OracleLabel> = {
	positive: 'negative',
	negative: 'neutral',
	neutral: 'positive'
};

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`; an unsigned integer. */
export function fnv1a32(text: string): number {
	let h = 0x811c9dc5;
	for (const byte of new TextEncoder().encode(text)) {
		h ^= byte;
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * The gold label of a text: "positive" when it contains (case-insensitive, whole word) good, great,
 * love, excellent or perfect; else "negative" for bad, broken, terrible, hate, awful or refund; else
 * "neutral".
 */
export function keywordLabel(text: string): OracleLabel {
	if (POSITIVE.test(text)) return 'positive';
	if (NEGATIVE.test(text)) return 'negative';
	return 'neutral';
}

/**
 * The oracle's answer to a conversation. With `last` the last user message, `examples` the number of
 * assistant messages before it, `skill = strength + 0.25 × min(examples, 4)` and
 * `difficulty = (fnv1a32(last) mod 100) / 100`: the gold label when `skill ≥ 1` or
 * `difficulty < skill`, else the next label in the cycle positive → negative → neutral → positive.
 * @param strength the LoRA adapter's strength (0 = the bare base, 1 = the full adapter)
 */
export function oracleAnswer(messages: readonly OracleMessage[], strength: number): OracleLabel {
	let lastIndex = -1;
	for (let i = messages.length - 1; i >= 0; i--)
		if (messages[i].role === 'user') {
			lastIndex = i;
			break;
		}
	const last = lastIndex >= 0 ? String(messages[lastIndex].content) : '';
	const examples = messages.slice(0, Math.max(lastIndex, 0)).filter((m) => m.role === 'assistant').length;
	const gold = keywordLabel(last);
	const skill = strength + 0.25 * Math.min(examples, 4);
	const difficulty = (fnv1a32(last) % 100) / 100;
	return skill >= 1 || difficulty < skill ? gold : NEXT[gold];
}
