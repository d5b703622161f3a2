// Node check of the history benchmark over fake-indexeddb (an in-memory IndexedDB, so the numbers
// are not browser numbers): `node --import tsx test/bench/history-node.ts [runs]`.
import 'fake-indexeddb/auto';
import { runHistoryBench } from './history.bench-page.ts';

const n = Number(process.argv[2] ?? 10_000);
console.log(JSON.stringify(await runHistoryBench(n, 3)));
