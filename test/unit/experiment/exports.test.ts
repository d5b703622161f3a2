// Experiment exports: the results and votes CSV written out by hand (quoting only where RFC 4180
// needs it, the formula guard, a numeric score never guarded) and read back by parseResultsCsv to
// the same rows; preference pairs from a hand-made matrix and votes (winner a, winner b flipped, tie
// and both-bad skipped, missing outputs counted) with the prompt rendered by hand from a template.
import { describe, expect, it } from 'vitest';
import { preferenceJsonl, preferencePairs, resultsCsv, votesCsv } from '../../../src/domain/experiment/exports.ts';
import { carriesAdapter } from '../../../src/domain/experiment/variants.ts';
import type { MatrixRow } from '../../../src/domain/experiment/results-table.ts';
import type { TestItemRow, VariantSpec, VoteRow } from '../../../src/domain/experiment/types.ts';
import { parseResultsCsv, type ResultRow, type VoteLine } from '../../../src/domain/stats/index.ts';
import { makeRecipeContent, makeResult, makeVariantSpec, makeVote } from '../../factories/rows.ts';

describe('resultsCsv and votesCsv', () => {
	it('writes the header and one row per result, pass and score empty when unknown', () => {
		const rows: ResultRow[] = [
			{ item: 'q1', variant: 'Prompt', pass: true, score: 0.5 },
			{ item: 'q1', variant: 'LoRA', pass: false, score: null },
			{ item: 'q2', variant: 'LoRA', pass: null, score: 1 }
		];
		const votes: VoteLine[] = [{ item: 'q1', a: 'Prompt', b: 'LoRA', winner: 'a' }];
		expect(resultsCsv({ rows, votes })).toBe('item,variant,pass,score\r\nq1,Prompt,true,0.5\r\nq1,LoRA,false,\r\nq2,LoRA,,1\r\n');
		expect(votesCsv(votes)).toBe('item,a,b,winner\r\nq1,Prompt,LoRA,a\r\n');
	});

	it('quotes per RFC 4180 and guards text that a spreadsheet would run, never the numeric score', () => {
		const rows: ResultRow[] = [
			{ item: 'q1', variant: 'a, "b"\nc', pass: true, score: -0.5 },
			{ item: '=HYPERLINK("x")', variant: '-0.5', pass: null, score: null },
			{ item: '@q', variant: "'quoted", pass: null, score: 0.25 }
		];
		expect(resultsCsv({ rows, votes: [] })).toBe(
			'item,variant,pass,score\r\n' + 'q1,"a, ""b""\nc",true,-0.5\r\n' + '"\'=HYPERLINK(""x"")",\'-0.5,,\r\n' + "'@q,''quoted,,0.25\r\n"
		);
		expect(votesCsv([{ item: '+1', a: 'x', b: '=y', winner: 'b' }])).toBe("item,a,b,winner\r\n'+1,x,'=y,b\r\n");
	});

	it('round-trips through parseResultsCsv (npm run stats) to the same rows and votes', () => {
		const rows: ResultRow[] = [
			{ item: 'q1', variant: 'comma, here', pass: true, score: 0.125 },
			{ item: 'q1', variant: 'a "quote"', pass: false, score: 0 },
			{ item: 'q1', variant: 'two\r\nlines', pass: null, score: 1 },
			{ item: 'q1', variant: '=1+1', pass: true, score: null },
			{ item: "'=x", variant: '\tTab', pass: null, score: 1e-7 },
			{ item: ' spaced ', variant: '@me', pass: false, score: 0.3333333333333333 }
		];
		expect(parseResultsCsv(resultsCsv({ rows, votes: [] }))).toEqual({ rows, votes: [] });
		const votes: VoteLine[] = [
			{ item: 'q1', a: 'comma, here', b: '=1+1', winner: 'tie' },
			{ item: 'q2', a: '-x', b: 'a "quote"', winner: 'both-bad' }
		];
		expect(parseResultsCsv(votesCsv(votes))).toEqual({ rows: [], votes });
	});
});

describe('preferencePairs', () => {
	const base: VariantSpec = makeVariantSpec({
		recipe: makeRecipeContent({
			system: 'Answer with the city only.',
			examples: [{ user: 'Capital of Spain?', assistant: 'Madrid' }],
			template: 'Capital of {{country}}?'
		})
	});
	const lora: VariantSpec = makeVariantSpec({
		model: { source: 'derived', modelId: 'd', baseModelId: 'b', adapterId: 'ad', scale: 1 },
		recipe: makeRecipeContent({ system: '', examples: [], template: '{{country}} ({{lang}})', variableDefaults: { lang: 'en' } })
	});
	const specs = new Map([
		['base', base],
		['lora', lora]
	]);
	const item = (id: string, index: number, country: string): TestItemRow => ({ id, testSetId: 's', index, vars: { country }, hash: 'h' });
	const row = (it: TestItemRow, outputs: Record<string, string>): MatrixRow => ({
		item: it,
		cells: new Map(
			Object.entries(outputs).map(([v, output]) => [
				v,
				{ result: makeResult({ variantId: v, itemId: it.id, output }), pass: null, score: null, manual: false, comment: '' }
			])
		),
		disagreement: false,
		anyFailure: false
	});
	const matrix = [
		row(item('i1', 0, 'France'), { base: 'Paris', lora: 'Lyon' }),
		row(item('i2', 1, 'Peru'), { base: 'Lima', lora: 'Cusco' }),
		row(item('i3', 2, 'Chile'), { base: 'Santiago' })
	];
	const vote = (itemId: string, a: string, b: string, winner: VoteRow['winner']) => makeVote({ itemId, a, b, winner });
	// listed out of matrix order: lines come in the matrix's item order
	const votes = [
		vote('i2', 'lora', 'base', 'b'),
		vote('i1', 'base', 'lora', 'a'),
		vote('i1', 'lora', 'base', 'tie'),
		vote('i2', 'base', 'lora', 'both-bad'),
		vote('i3', 'base', 'lora', 'a'),
		vote('gone', 'base', 'lora', 'b')
	];

	it('makes one pair per vote with a winner, prompt from the adapter side, and counts what it skipped', () => {
		const out = preferencePairs({ votes, matrix, specs });
		// the LoRA recipe renders "{{country}} ({{lang}})" with lang from its defaults
		expect(out.lines).toEqual([
			{ prompt: 'France (en)', chosen: 'Paris', rejected: 'Lyon' },
			// a = lora, b = base, winner b: chosen is base's output
			{ prompt: 'Peru (en)', chosen: 'Lima', rejected: 'Cusco' }
		]);
		// i3 has no LoRA output; "gone" is not in the matrix
		expect(out.skipped).toEqual({ ties: 1, bothBad: 1, missing: 2 });
	});

	it('renders the prompt with the recipe of promptVariantId when given (the last user message only)', () => {
		const out = preferencePairs({ votes, matrix, specs, promptVariantId: 'base' });
		expect(out.lines.map((l) => l.prompt)).toEqual(['Capital of France?', 'Capital of Peru?']);
		expect(preferencePairs({ votes, matrix, specs, promptVariantId: 'unknown' })).toEqual({
			lines: [],
			skipped: { ties: 1, bothBad: 1, missing: 4 }
		});
	});

	it('falls back to variant a when neither side has an adapter', () => {
		const plain = new Map([
			['base', base],
			[
				'lora',
				{ ...lora, model: { source: 'endpoint' as const, modelId: 'm', adapter: { convention: 'llamacpp' as const, id: 0, scale: 0 } } }
			]
		]);
		const out = preferencePairs({ votes: [vote('i2', 'lora', 'base', 'a')], matrix, specs: plain });
		expect(out.lines).toEqual([{ prompt: 'Peru (en)', chosen: 'Cusco', rejected: 'Lima' }]);
	});

	it('tells which models carry an adapter', () => {
		expect(carriesAdapter({ source: 'prebuilt', modelId: 'm' })).toBe(false);
		expect(carriesAdapter({ source: 'derived', modelId: 'd', baseModelId: 'b', adapterId: 'a', scale: 0.5 })).toBe(true);
		expect(carriesAdapter({ source: 'endpoint', modelId: 'm' })).toBe(false);
		expect(carriesAdapter({ source: 'endpoint', modelId: 'm', adapter: { convention: 'vllm', name: 'x' } })).toBe(true);
		expect(carriesAdapter({ source: 'endpoint', modelId: 'm', adapter: { convention: 'llamacpp', id: 0, scale: 0.8 } })).toBe(true);
		expect(carriesAdapter({ source: 'endpoint', modelId: 'm', adapter: { convention: 'llamacpp', id: 0, scale: 0 } })).toBe(false);
	});

	it('writes JSON Lines, one {prompt, chosen, rejected} a line', () => {
		const text = preferenceJsonl([
			{ prompt: 'p "1"\nx', chosen: 'c', rejected: 'r' },
			{ prompt: 'p2', chosen: '', rejected: 'r2' }
		]);
		expect(text).toBe('{"prompt":"p \\"1\\"\\nx","chosen":"c","rejected":"r"}\n{"prompt":"p2","chosen":"","rejected":"r2"}\n');
		expect(preferenceJsonl([])).toBe('');
	});
});
