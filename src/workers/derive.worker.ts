// The derive module worker: wiring only. Merging runs in DeriveHandler; the page talks to it with the
// messages in derive-protocol.ts. Never imports web-llm.

import { DeriveHandler } from './derive-handler.ts';
import type { DeriveRequest, DeriveWorkerMessage } from './derive-protocol.ts';

const scope = self as unknown as {
	postMessage(message: DeriveWorkerMessage): void;
	onmessage: ((event: MessageEvent<DeriveRequest>) => void) | null;
};
const handler = new DeriveHandler({
	post: (m) => scope.postMessage(m),
	storage: caches,
	fetch: (input, init) => fetch(input, init),
	estimate: () => navigator.storage.estimate()
});
scope.onmessage = (event) => void handler.handle(event.data);
