// Engine failures, one class per cause, each with a message that says what to do.
// They cross worker boundaries as {name, message} and are rebuilt by name (see fromSerialized).

export type EngineErrorCode =
	| 'device-lost'
	| 'out-of-memory'
	| 'missing-shader-f16'
	| 'no-webgpu'
	| 'network'
	| 'endpoint-refused'
	| 'model-files-missing'
	| 'aborted'
	/** A generate named models that must stay resident and one of them is not loaded. */
	| 'not-resident'
	| 'unknown';

export class EngineError extends Error {
	override name = 'EngineError';
	constructor(
		readonly code: EngineErrorCode,
		message: string,
		/** What the user can do about it. */
		readonly advice: string
	) {
		super(message);
	}
}

export interface SerializedEngineError {
	name: string;
	code: EngineErrorCode;
	message: string;
	advice: string;
}

export function serializeEngineError(e: EngineError): SerializedEngineError {
	return { name: e.name, code: e.code, message: e.message, advice: e.advice };
}

export function fromSerialized(s: SerializedEngineError): EngineError {
	return new EngineError(s.code, s.message, s.advice);
}
