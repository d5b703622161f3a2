// Plain DTOs stored in IndexedDB. The shapes live in src/domain/bundle/rows.ts so the export file
// and the tables share one definition; this module only re-exports them for storage callers.
export type {
	AdapterFileRef,
	BatchRow,
	BatchStatus,
	ExperimentRow,
	ExperimentVariant,
	ManualScoreRow,
	ModelRef,
	ResultRow,
	ResultStatus,
	RunMode,
	TestItemRow,
	TestSetRow,
	VariantRow,
	VariantSpec,
	VoteRow,
	VoteWinner,
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
export { BATCH_STATUSES, RESULT_STATUSES, RUN_STATUSES, VOTE_WINNERS } from '../domain/bundle/rows.ts';
