// The recipe being edited: fields the form binds to, and derived variables, sampling problems,
// the exact messages that will be sent and their estimated token count. Persistence lives in
// RecipesState; this class imports only domain code (no db, worker or DOM).
import type { ChatMessage, SamplingSettings } from '../domain/engine/types.ts';
import {
	buildMessages,
	estimateTokens,
	extractVariables,
	messagesProblem,
	notANumberProblem,
	samplingFieldProblems,
	stableStringify,
	type FewShotExample,
	type RecipeContent
} from '../domain/recipes/index.ts';

/** Sampling fields as typed in the form: numbers as text (empty = model default), stop one per line. */
export interface SamplingDraft {
	temperature: string;
	topP: string;
	maxTokens: string;
	seed: string;
	presencePenalty: string;
	frequencyPenalty: string;
	repetitionPenalty: string;
	stop: string;
}

export const NUMERIC_SAMPLING_KEYS = [
	'temperature',
	'topP',
	'maxTokens',
	'seed',
	'presencePenalty',
	'frequencyPenalty',
	'repetitionPenalty'
] as const;

export const EMPTY_CONTENT: RecipeContent = {
	system: '',
	examples: [],
	template: '',
	sampling: {},
	variableDefaults: {}
};

/** The name a blank recipe starts with. */
export const DEFAULT_RECIPE_NAME = 'Untitled recipe';

export interface ExampleDraft extends FewShotExample {
	/** Stable key for keyed {#each}. */
	key: number;
}

let nextKey = 1;

/** The editor's whole draft as plain data, kept across reloads (settings key 'editorDraft'). */
export interface EditorDraft {
	name: string;
	system: string;
	examples: FewShotExample[];
	template: string;
	values: Record<string, string>;
	variableDefaults: Record<string, string>;
	sampling: SamplingDraft;
	recipeId: string | null;
	version: number | null;
	/** Key of the content as saved, so "unsaved changes" survives the reload too. */
	savedKey: string;
}

export class RecipeEditor {
	name = $state(DEFAULT_RECIPE_NAME);
	system = $state('');
	examples = $state<ExampleDraft[]>([]);
	template = $state('');
	/** Values typed for the template variables (run time); defaults come from variableDefaults. */
	values = $state<Record<string, string>>({});
	variableDefaults = $state<Record<string, string>>({});
	sampling = $state<SamplingDraft>(draftFromSampling({}));
	/** The saved recipe this draft came from, if any. */
	recipeId = $state<string | null>(null);
	version = $state<number | null>(null);
	/** Exact prompt token count from the engine's tokenizer, when it gave one for the current messages. */
	exactTokens = $state<{ forKey: string; count: number } | null>(null);
	/** Key of the content as saved (or of the blank recipe, for a new draft). */
	#savedKey = $state(stableStringify(EMPTY_CONTENT));

	variables = $derived.by((): { names: string[]; error: string | null } => {
		try {
			return { names: extractVariables(this.template), error: null };
		} catch (e) {
			return { names: [], error: (e as Error).message };
		}
	});

	/**
	 * Parsed sampling settings, a plain-words message per wrong field (for showing under that field,
	 * e.g. "Max tokens must be a whole number between 1 and 1,000,000 (you gave 0).") and the same
	 * messages as a list.
	 */
	parsedSampling = $derived.by(
		(): { settings: SamplingSettings; problems: string[]; fields: Partial<Record<keyof SamplingDraft, string>> } => {
			const settings: SamplingSettings = {};
			const fields: Partial<Record<keyof SamplingDraft, string>> = {};
			for (const key of NUMERIC_SAMPLING_KEYS) {
				const text = this.sampling[key].trim();
				if (text === '') continue;
				const value = Number(text);
				if (Number.isNaN(value)) fields[key] = notANumberProblem(key, text);
				else settings[key] = value;
			}
			const stop = this.sampling.stop.split('\n').filter((s) => s !== '');
			if (stop.length > 0) settings.stop = stop;
			Object.assign(fields, samplingFieldProblems(settings));
			return { settings, problems: Object.values(fields), fields };
		}
	);

	content = $derived.by((): RecipeContent => ({
		system: this.system,
		examples: this.examples.map(({ user, assistant }) => ({ user, assistant })),
		template: this.template,
		sampling: this.parsedSampling.settings,
		variableDefaults: { ...this.variableDefaults }
	}));

	preview = $derived.by((): { messages: ChatMessage[]; error: string | null } => {
		try {
			return { messages: buildMessages(this.content, this.#filledValues()), error: null };
		} catch (e) {
			return { messages: [], error: (e as Error).message };
		}
	});

	/** Key of the current messages, to match an exact token count to what it counted. */
	previewKey = $derived(stableStringify(this.preview.messages));
	estimatedTokens = $derived(estimateTokens(this.preview.messages));
	tokenCount = $derived.by((): { count: number; exact: boolean } =>
		this.exactTokens && this.exactTokens.forKey === this.previewKey
			? { count: this.exactTokens.count, exact: true }
			: { count: this.estimatedTokens, exact: false }
	);

	/**
	 * Why this recipe cannot run now, in words, or null: the template or a missing value first, then
	 * an empty user message, then the sampling settings.
	 */
	runProblem = $derived.by((): string | null => {
		if (this.preview.error !== null) return this.preview.error;
		const empty = messagesProblem(this.preview.messages);
		if (empty) return empty;
		const n = this.parsedSampling.problems.length;
		if (n > 0) return `Fix the ${n === 1 ? 'sampling setting' : `${n} sampling settings`} marked under Sampling first.`;
		return null;
	});
	canRun = $derived(this.runProblem === null);
	/**
	 * Whether the draft differs from what was saved. A blank new recipe is clean until the user edits
	 * something (its content, or its name: an unsaved draft has no Rename, so the name counts).
	 */
	dirty = $derived(this.#savedKey !== stableStringify(this.content) || (this.recipeId === null && this.name !== DEFAULT_RECIPE_NAME));

	/** Replaces the draft with a saved recipe version (or a blank recipe). */
	load(r: { id?: string; name: string; version?: number; content: RecipeContent } | null): void {
		const content = r?.content ?? EMPTY_CONTENT;
		this.name = r?.name ?? DEFAULT_RECIPE_NAME;
		this.system = content.system;
		this.examples = content.examples.map((e) => ({ ...e, key: nextKey++ }));
		this.template = content.template;
		this.variableDefaults = { ...content.variableDefaults };
		this.values = {};
		this.sampling = draftFromSampling(content.sampling);
		this.recipeId = r?.id ?? null;
		this.version = r?.version ?? null;
		this.#savedKey = stableStringify(content);
	}

	/** The draft as plain data (reading it tracks every field, so an effect can persist it). */
	toDraft(): EditorDraft {
		return $state.snapshot({
			name: this.name,
			system: this.system,
			examples: this.examples.map((e) => ({ user: e.user, assistant: e.assistant })),
			template: this.template,
			values: this.values,
			variableDefaults: this.variableDefaults,
			sampling: this.sampling,
			recipeId: this.recipeId,
			version: this.version,
			savedKey: this.#savedKey
		});
	}

	/** Brings back a draft kept by toDraft (values typed last included). */
	restoreDraft(d: EditorDraft): void {
		this.name = d.name;
		this.system = d.system;
		this.examples = d.examples.map((e) => ({ user: e.user, assistant: e.assistant, key: nextKey++ }));
		this.template = d.template;
		this.values = { ...d.values };
		this.variableDefaults = { ...d.variableDefaults };
		this.sampling = { ...d.sampling };
		this.recipeId = d.recipeId;
		this.version = d.version;
		this.#savedKey = d.savedKey;
	}

	/** Marks the current content as saved under this recipe id and version. */
	markSaved(recipeId: string, version: number): void {
		this.recipeId = recipeId;
		this.version = version;
		this.#savedKey = stableStringify(this.content);
	}

	/** Sets the default value of a template variable (saved with the recipe); an empty text removes it. */
	setVariableDefault(name: string, value: string): void {
		const next = { ...this.variableDefaults };
		if (value === '') delete next[name];
		else next[name] = value;
		this.variableDefaults = next;
	}

	addExample(): void {
		this.examples.push({ user: '', assistant: '', key: nextKey++ });
	}

	removeExample(key: number): void {
		this.examples = this.examples.filter((e) => e.key !== key);
	}

	/** Plain copies of the messages and sampling, safe to store or post. */
	snapshot(): { messages: ChatMessage[]; sampling: SamplingSettings } {
		return $state.snapshot({ messages: this.preview.messages, sampling: this.parsedSampling.settings });
	}

	#filledValues(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [k, v] of Object.entries(this.values)) if (v !== '') out[k] = v;
		return out;
	}
}

/** Sampling settings → form text. */
export function draftFromSampling(s: SamplingSettings): SamplingDraft {
	const text = (v: number | undefined) => (v === undefined ? '' : String(v));
	return {
		temperature: text(s.temperature),
		topP: text(s.topP),
		maxTokens: text(s.maxTokens),
		seed: text(s.seed),
		presencePenalty: text(s.presencePenalty),
		frequencyPenalty: text(s.frequencyPenalty),
		repetitionPenalty: text(s.repetitionPenalty),
		stop: (s.stop ?? []).join('\n')
	};
}
