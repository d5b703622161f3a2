// Plain DTOs stored in IndexedDB. The shapes live in src/domain/bundle/rows.ts so the export file
// and the tables share one definition; this module only re-exports them for storage callers.
export type {
	AdapterFileRef,
	AdapterFileRow,
	AdapterRow,
	DerivedModelRow,
	GpuInfo,
	RecipeRow,
	RecipeVersionRow,
	RunError,
	RunRow,
	RunStatus,
	SettingRow
} from '../domain/bundle/rows.ts';
export { RUN_STATUSES } from '../domain/bundle/rows.ts';
