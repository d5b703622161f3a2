// Ports of the end-to-end servers, shared by playwright.config.ts and the specs. Fixed and unlikely
// to clash: `npm start` serves the app on 4173, so the tests never use (or reuse) that server.
// Imports nothing.

/** The built app (vite preview) that the end-to-end tests start for themselves. */
export const APP_PORT = 41731;
/** The OpenAI-compatible test server (test/server/openai-test-server.ts). */
export const TEST_SERVER_PORT = 41741;
