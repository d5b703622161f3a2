// Freezes what a run needs into a plain RunSnapshot: recipe content, variables, the exact
// messages, sampling, engine and GPU facts. Uses $state.snapshot via the editor; no DOM/db imports.
import type { EngineInfo } from '../domain/engine/types.ts';
import type { GpuProbe } from '../domain/gpu/types.ts';
import type { RunSnapshot } from './ports.ts';
import type { RecipeEditor } from './recipe-editor.svelte.ts';

/**
 * A plain, cloneable snapshot of the editor's current recipe for a run.
 * @param versionId the saved recipe version the draft matches, or null for an unsaved draft
 * @param adapterId the LoRA adapter merged into `modelId` when it is a derived model
 */
export function snapshotForRun(
	editor: RecipeEditor,
	versionId: string | null,
	engine: EngineInfo,
	modelId: string,
	probe: GpuProbe | null,
	adapterId?: string
): RunSnapshot {
	const { messages, sampling } = editor.snapshot();
	const saved = !editor.dirty && versionId !== null;
	return {
		engine: { kind: engine.kind, version: engine.version },
		modelId,
		...(adapterId ? { adapterId } : {}),
		recipeVersionId: saved ? versionId : '',
		recipeId: saved ? (editor.recipeId ?? '') : '',
		recipeName: editor.name,
		recipe: structuredClone(editor.content),
		variables: { ...editor.values },
		messages,
		sampling,
		gpu:
			engine.kind === 'webllm' && probe?.available
				? {
						vendor: probe.adapter.vendor,
						architecture: probe.adapter.architecture,
						description: probe.adapter.description,
						features: [...probe.features]
					}
				: undefined
	};
}
