// Context pairs through which App.svelte hands the state classes to feature components.
// Imports only the state classes' types.
import { createContext } from 'svelte';
import type { CatalogState } from './catalog.svelte.ts';
import type { EngineState } from './engine.svelte.ts';
import type { HistoryState } from './history.svelte.ts';
import type { RecipeEditor } from './recipe-editor.svelte.ts';
import type { RecipesState } from './recipes.svelte.ts';
import type { RunController } from './run-controller.svelte.ts';

export const [getEngineState, setEngineState] = createContext<EngineState>();
export const [getCatalogState, setCatalogState] = createContext<CatalogState>();
export const [getRecipeEditor, setRecipeEditor] = createContext<RecipeEditor>();
export const [getRecipesState, setRecipesState] = createContext<RecipesState>();
export const [getRunController, setRunController] = createContext<RunController>();
export const [getHistoryState, setHistoryState] = createContext<HistoryState>();
