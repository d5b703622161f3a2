// Types of the virtual modules served by scripts/vite-plugin-webllm-catalog.ts at build time.
// Records are typed loosely on purpose: parseRecord() validates each one.
declare module 'virtual:webllm-catalog' {
	/** Every record of web-llm's prebuiltAppConfig.model_list, as plain JSON. */
	export const records: unknown[];
	export const webllmVersion: string;
}

declare module 'virtual:webllm-version' {
	/** The installed @mlc-ai/web-llm version, e.g. "0.2.86". */
	export const webllmVersion: string;
}
