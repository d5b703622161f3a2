// The LLM module worker: wiring only. Every web-llm import stays behind this boundary
// (through llm-handler.ts); the page talks to it with the messages in protocol.ts.

import { LlmHandler } from './llm-handler.ts';
import type { LlmRequest, LlmWorkerMessage } from './protocol.ts';

const scope = self as unknown as {
	postMessage(message: LlmWorkerMessage): void;
	onmessage: ((event: MessageEvent<LlmRequest>) => void) | null;
};
const handler = new LlmHandler({ post: (m) => scope.postMessage(m) });
scope.onmessage = (event) => void handler.handle(event.data);
