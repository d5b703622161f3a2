// Test sets as the user adds them: a file (CSV, JSONL, JSON) or pasted text is parsed and
// validated whole, previewed with line-numbered errors, and stored only when it is valid, with
// assertions given as JSON and validated in words. Editing replaces the items in one transaction.
// Imports storage and domain only; no DOM beyond File.
import type { ScoringSpec } from '../../domain/scoring/types.ts';
import { validateScoringSpec } from '../../domain/scoring/index.ts';
import { MAX_FILE_BYTES, formatTestSetError, parseTestSetFile, testSetToCsv, type ParsedTestSet } from '../../domain/testsets/index.ts';
import type { TestSetRow } from '../../domain/experiment/types.ts';
import type { TuneDb } from '../../storage/db.ts';
import { createTestSet, getTestItems, replaceTestItems, updateTestSet } from '../../storage/repos/testsets.ts';
import { createRecipe } from '../../storage/repos/recipes.ts';
import type { Demo } from '../../domain/demos/types.ts';
import { describe } from '../run-controller.svelte.ts';

export type TestSetDraft = { ok: true; source: string; parsed: ParsedTestSet } | { ok: false; source: string; errors: string[] };

/** Assertions offered when a file brings none: the expected output must appear in the answer. */
export function defaultScoring(parsed: ParsedTestSet): ScoringSpec {
	return parsed.items.some((i) => i.expected !== undefined)
		? { assertions: [{ type: 'icontains', value: '{{expected}}' }] }
		: { assertions: [] };
}

export class TestSetsState {
	draft = $state.raw<TestSetDraft | null>(null);
	name = $state('');
	scoringText = $state('');
	/** The set being edited (its items replaced on save), or null for a new one. */
	editingId = $state<string | null>(null);
	error = $state.raw<{ message: string; advice: string } | null>(null);
	scoringErrors = $derived.by((): string[] => {
		if (!this.scoringText.trim()) return [];
		let json: unknown;
		try {
			json = JSON.parse(this.scoringText);
		} catch (e) {
			return [`The assertions are not valid JSON: ${(e as Error).message}`];
		}
		return validateScoringSpec(json).errors.map((e) => `${e.path}: ${e.message}`);
	});
	canSave = $derived(this.draft?.ok === true && this.name.trim() !== '' && this.scoringErrors.length === 0);

	readonly #db: TuneDb;
	readonly #onSaved: () => void | Promise<void>;

	constructor(db: TuneDb, onSaved: () => void | Promise<void>) {
		this.#db = db;
		this.#onSaved = onSaved;
	}

	/** Reads a file; one too large is refused before it is read. */
	async readFile(file: File): Promise<void> {
		if (file.size > MAX_FILE_BYTES)
			return this.#refuse(file.name, [
				`${file.name} is ${Math.round(file.size / 1048576)} MB; test sets can be at most ${MAX_FILE_BYTES / 1048576} MB. Split it into smaller sets.`
			]);
		let text: string;
		try {
			text = await file.text();
		} catch (e) {
			return this.#refuse(file.name, [`${file.name} could not be read (${(e as Error).message}). Pick the file again.`]);
		}
		this.readText(file.name, text);
	}

	/** Parses text as if it were a file of that name (pasted CSV/JSONL/JSON). */
	readText(source: string, text: string): void {
		const result = parseTestSetFile(source, text);
		if ('errors' in result) return this.#refuse(source, result.errors.map(formatTestSetError));
		this.draft = { ok: true, source, parsed: result };
		if (!this.name.trim()) this.name = result.name ?? source.replace(/\.[^.]+$/, '');
		if (!this.scoringText.trim()) this.scoringText = JSON.stringify(result.scoring ?? defaultScoring(result), null, 2);
	}

	/** Opens a stored set for editing as CSV text. */
	async edit(set: TestSetRow): Promise<string> {
		const items = await getTestItems(this.#db, set.id);
		this.editingId = set.id;
		this.name = set.name;
		this.scoringText = JSON.stringify(set.scoring, null, 2);
		const withExpected = items.some((i) => i.expected !== undefined);
		const csv = testSetToCsv(
			withExpected ? [...set.columns] : set.columns,
			items.map((i) => ({ vars: i.vars, expected: i.expected }))
		);
		this.readText(`${set.name}.csv`, csv);
		return csv;
	}

	async save(): Promise<void> {
		const draft = this.draft;
		if (!draft?.ok || !this.canSave) return;
		try {
			this.error = null;
			const scoring = validateScoringSpec(this.scoringText.trim() ? JSON.parse(this.scoringText) : { assertions: [] }).spec;
			if (this.editingId) {
				await updateTestSet(this.#db, this.editingId, { name: this.name.trim(), columns: draft.parsed.columns, scoring });
				await replaceTestItems(this.#db, this.editingId, draft.parsed.items);
			} else {
				await createTestSet(
					this.#db,
					{ name: this.name.trim(), columns: draft.parsed.columns, scoring, source: draft.source },
					draft.parsed.items
				);
			}
			this.reset();
			await this.#onSaved();
		} catch (e) {
			this.error = describe(e);
		}
	}

	/** One click to a ready comparison: the demo's test set and its plain and engineered recipes. */
	async addDemo(demo: Demo): Promise<void> {
		try {
			this.error = null;
			await createTestSet(
				this.#db,
				{ name: demo.name, description: demo.description, columns: demo.columns, scoring: demo.scoring, source: `demo:${demo.id}` },
				demo.items
			);
			await createRecipe(this.#db, `${demo.name}: plain`, demo.plainRecipe);
			await createRecipe(this.#db, `${demo.name}: engineered`, demo.engineeredRecipe);
			await this.#onSaved();
		} catch (e) {
			this.error = describe(e);
		}
	}

	reset(): void {
		this.draft = null;
		this.name = '';
		this.scoringText = '';
		this.editingId = null;
	}

	#refuse(source: string, errors: string[]): void {
		this.draft = { ok: false, source, errors };
	}
}
