// Turns a recipe version plus variable values into the exact chat messages sent to an engine,
// and estimates their token count when no tokenizer is loaded.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import type { ChatMessage } from '../engine/types.ts';
import { renderTemplate } from './template.ts';
import type { RecipeContent } from './types.ts';

/**
 * Builds the messages: the system prompt (when not empty), each example as a user then an
 * assistant turn, then the rendered user message. Values override the recipe's defaults.
 * @param recipe a recipe version row (with `content`) or bare content.
 * @throws MissingVariablesError / TemplateSyntaxError from rendering.
 */
export function buildMessages(
	recipe: RecipeContent | { content: RecipeContent },
	values: Readonly<Record<string, string>> = {}
): ChatMessage[] {
	const content = 'content' in recipe ? recipe.content : recipe;
	const messages: ChatMessage[] = [];
	if (content.system.trim() !== '') messages.push({ role: 'system', content: content.system });
	for (const example of content.examples) {
		messages.push({ role: 'user', content: example.user });
		messages.push({ role: 'assistant', content: example.assistant });
	}
	const text = renderTemplate(content.template, { ...content.variableDefaults, ...values });
	messages.push({ role: 'user', content: text });
	return messages;
}

/** Characters per token assumed by the estimate (English text with BPE tokenizers averages ~4). */
export const CHARS_PER_TOKEN = 4;
/** Tokens added per message for role markers and separators in chat templates. */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens that prime the assistant's reply. */
export const TOKENS_REPLY_PRIMER = 3;

/**
 * An ESTIMATE of prompt tokens for when no tokenizer is loaded: for each message
 * ceil(chars / 4) + 4, plus 3 for the reply primer (a string counts as one user message).
 * Real counts differ by tokenizer and language (code and non-Latin text run higher);
 * use the engine's countTokens when it returns a number.
 */
export function estimateTokens(input: string | readonly ChatMessage[]): number {
	const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
	let total = TOKENS_REPLY_PRIMER;
	for (const m of messages) {
		total += Math.ceil([...m.content].length / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE;
	}
	return total;
}

/** What the run button says when the user turn the model would answer has no text. */
export const EMPTY_USER_MESSAGE = 'The user message is empty: write a user message template (or fill in its values) before running.';

/**
 * Why these messages cannot be sent as they are, or null: the last message must be a user turn
 * with some non-whitespace text (an empty template with no system prompt or examples sends nothing).
 */
export function messagesProblem(messages: readonly ChatMessage[]): string | null {
	const last = messages.at(-1);
	return !last || last.role !== 'user' || last.content.trim() === '' ? EMPTY_USER_MESSAGE : null;
}
