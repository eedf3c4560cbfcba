// The load generator's thread (post-load.ts starts it). Plain JavaScript: worker threads do
// not get tsx's loader. POSTs `template` with every `__I__` replaced by the request's number,
// over node:http with keep-alive (a lighter client than fetch, so the sender's own cost takes
// as little as it can of the two cores it shares with the host).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, template, count, offset, concurrency, capMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const start = performance.now();
const latencies = [];
const statuses = {};
let next = 0;

function post(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function sender() {
  while (next < count && performance.now() - start < capMs) {
    const body = template.replaceAll('__I__', String(offset + next++));
    const sent = performance.now();
    const status = await post(body);
    latencies.push(performance.now() - sent);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: concurrency }, sender));
agent.destroy();
parentPort.postMessage({ latencies, statuses, wallMs: performance.now() - start });
