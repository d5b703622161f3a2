// The built-in demo comparisons as specifications: item counts, every template variable backed by a
// column, expected labels from the allowed set, few-shot examples that are never test items, the
// recipes' shape (plain vs engineered, deterministic sampling), and scoring specs that are valid and
// score outputs the way each demo intends.
import { describe, expect, it } from 'vitest';
import { DEMOS, demoById, DESCRIPTION_LENGTH, FEEDBACK_LABELS, SENTIMENT_LABELS } from '../../../src/domain/demos/index.ts';
import { extractVariables, renderTemplate } from '../../../src/domain/recipes/template.ts';
import { scoreOutput, validateScoringSpec } from '../../../src/domain/scoring/index.ts';
import { checkAgainstTemplate, parseTestSetFile, testSetToCsv, testSetToJsonl } from '../../../src/domain/testsets/index.ts';

const byId = (id: string) => {
	const d = demoById(id);
	if (!d) throw new Error(`no demo ${id}`);
	return d;
};

describe('the demo list', () => {
	it('has three demos with unique ids, found by demoById', () => {
		expect(DEMOS.map((d) => d.id)).toEqual(['review-sentiment', 'feedback-routing', 'product-descriptions']);
		for (const d of DEMOS) expect(demoById(d.id)).toBe(d);
		expect(demoById('nope')).toBeUndefined();
	});

	it('has the stated item counts: 24 reviews, 24 messages, 16 products', () => {
		expect(byId('review-sentiment').items).toHaveLength(24);
		expect(byId('feedback-routing').items).toHaveLength(24);
		expect(byId('product-descriptions').items).toHaveLength(16);
	});
});

describe.each(DEMOS.map((d) => [d.id, d] as const))('demo %s', (_id, demo) => {
	it("gives every item exactly the demo's columns, non-empty, and an expected output", () => {
		for (const item of demo.items) {
			expect(Object.keys(item.vars)).toEqual(demo.columns);
			for (const c of demo.columns) expect(item.vars[c].trim()).not.toBe('');
			expect(item.expected?.trim()).toBeTruthy();
		}
	});

	it('has no two identical items', () => {
		const keys = demo.items.map((it) => JSON.stringify(it.vars));
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('has a column in every item for every variable of both templates', () => {
		for (const recipe of [demo.plainRecipe, demo.engineeredRecipe]) {
			expect(checkAgainstTemplate(demo.columns, recipe.template).missing).toEqual([]);
			for (const item of demo.items) expect(() => renderTemplate(recipe.template, item.vars)).not.toThrow();
		}
	});

	it('has a plain recipe that is only the variables: no system prompt, no examples', () => {
		const p = demo.plainRecipe;
		expect(p.system).toBe('');
		expect(p.examples).toEqual([]);
		// the template holds nothing but its variables and whitespace
		const rest = extractVariables(p.template).reduce((t, v) => t.split(`{{${v}}}`).join(''), p.template);
		expect(rest.trim()).toBe('');
		expect(extractVariables(p.template).sort()).toEqual([...demo.columns].sort());
	});

	it('has an engineered recipe with a system prompt, 3 or 4 examples and the same variables', () => {
		const e = demo.engineeredRecipe;
		expect(e.system.length).toBeGreaterThan(100);
		expect(e.examples.length).toBeGreaterThanOrEqual(3);
		expect(e.examples.length).toBeLessThanOrEqual(4);
		expect(extractVariables(e.template).sort()).toEqual([...demo.columns].sort());
	});

	it('samples deterministically in both recipes: temperature 0, seed 42, a token limit', () => {
		for (const r of [demo.plainRecipe, demo.engineeredRecipe]) {
			expect(r.sampling.temperature).toBe(0);
			expect(r.sampling.seed).toBe(42);
			expect(r.sampling.maxTokens).toBeGreaterThan(0);
		}
		expect(demo.plainRecipe.sampling).toEqual(demo.engineeredRecipe.sampling);
	});

	it('never uses a test item as a few-shot example', () => {
		const rendered = new Set(demo.items.map((it) => renderTemplate(demo.engineeredRecipe.template, it.vars)));
		const texts = demo.items.flatMap((it) => Object.values(it.vars));
		for (const ex of demo.engineeredRecipe.examples) {
			expect(rendered.has(ex.user)).toBe(false);
			// no item's own text appears inside an example either
			for (const t of texts) if (t.length > 12) expect(ex.user.includes(t)).toBe(false);
			expect(demo.items.some((it) => it.expected === ex.assistant && !demo.labels)).toBe(false);
		}
	});

	it('has a scoring spec that validateScoringSpec accepts unchanged', () => {
		const r = validateScoringSpec(demo.scoring);
		expect(r.errors).toEqual([]);
		expect(r.spec).toEqual(demo.scoring);
	});

	it('gives full marks when the output is the expected output', () => {
		for (const item of demo.items) expect(scoreOutput(item.expected!, item.expected, demo.scoring)).toMatchObject({ pass: true, score: 1 });
	});

	it('reads back unchanged after export as JSON Lines and as CSV', () => {
		for (const [name, text] of [
			['x.jsonl', testSetToJsonl(demo.items)],
			['x.csv', testSetToCsv(demo.columns, demo.items)]
		] as const) {
			expect(parseTestSetFile(name, text)).toEqual({ columns: demo.columns, items: demo.items, warnings: [] });
		}
	});
});

describe.each([
	['review-sentiment', SENTIMENT_LABELS],
	['feedback-routing', FEEDBACK_LABELS]
] as const)('classification demo %s', (id, labels) => {
	const demo = byId(id);

	it('uses only allowed labels, each at least four times, and its examples answer with allowed labels', () => {
		expect(demo.labels).toEqual(labels);
		for (const item of demo.items) expect(labels).toContain(item.expected);
		for (const l of labels) expect(demo.items.filter((it) => it.expected === l).length).toBeGreaterThanOrEqual(4);
		for (const ex of demo.engineeredRecipe.examples) expect(labels).toContain(ex.assistant);
	});

	it('passes the label alone, ignoring case, surrounding spaces and a final full stop', () => {
		const expected = labels[0];
		for (const out of [expected, expected.toUpperCase(), ` ${expected}.\n`])
			expect(scoreOutput(out, expected, demo.scoring).pass).toBe(true);
	});

	it('fails another label, a sentence around the label, and two labels', () => {
		const [a, b] = labels;
		expect(scoreOutput(b, a, demo.scoring).pass).toBe(false);
		expect(scoreOutput(`The answer is ${a}.`, a, demo.scoring).pass).toBe(false);
		expect(scoreOutput(`${a} or ${b}`, a, demo.scoring).pass).toBe(false);
	});
});

describe('the sentiment demo', () => {
	it('has eight reviews of each label', () => {
		const demo = byId('review-sentiment');
		expect(SENTIMENT_LABELS.map((l) => demo.items.filter((it) => it.expected === l).length)).toEqual([8, 8, 8]);
	});
});

describe('the feedback demo', () => {
	it('matches "product-quality" literally (the hyphen is not a regex range)', () => {
		const demo = byId('feedback-routing');
		expect(scoreOutput('product-quality', 'product-quality', demo.scoring).pass).toBe(true);
		expect(scoreOutput('product quality', 'product-quality', demo.scoring).pass).toBe(false);
	});
});

describe('the product descriptions demo', () => {
	const demo = byId('product-descriptions');

	it('has reference sentences within the length bounds that name their product', () => {
		for (const item of demo.items) {
			const n = Array.from(item.expected!).length;
			expect(n).toBeGreaterThanOrEqual(DESCRIPTION_LENGTH.min);
			expect(n).toBeLessThanOrEqual(DESCRIPTION_LENGTH.max);
			expect(item.expected).toContain(item.vars.product);
			// one sentence: a single full stop, at the end
			expect(item.expected!.trim().match(/[.!?](\s|$)/g)).toHaveLength(1);
		}
	});

	it('passes an in-bounds sentence sharing no words with the reference, at score (1 + 1 + 0.5·0) / 2.5 = 0.8', () => {
		const r = scoreOutput('Zzz qqq www vvv uuu ttt sss rrr ppp ooo nnn mmm.', demo.items[0].expected, demo.scoring);
		expect(r.score).toBeCloseTo(0.8, 10);
		expect(r.pass).toBe(true);
	});

	it('fails "As an AI" boilerplate and a sentence over the maximum length, whatever the ROUGE-L', () => {
		const ref = demo.items[0].expected!;
		// not-icontains fails (0), length and ROUGE-L pass: (1 + 0 + 0.5·f) / 2.5 ≤ 0.6
		expect(scoreOutput(`As an AI, ${ref}`.slice(0, 200), ref, demo.scoring).pass).toBe(false);
		expect(scoreOutput(`${ref} ${ref}`, ref, demo.scoring).pass).toBe(false);
		expect(scoreOutput('Too short.', ref, demo.scoring).pass).toBe(false);
	});
});
