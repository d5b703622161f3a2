// Placeholder; replaced by the OpenAI-compatible test server.
import { createServer } from 'node:http';
const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 4174);
createServer((req, res) => { res.end('ok'); }).listen(port);
