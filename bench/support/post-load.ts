import { Worker } from 'node:worker_threads';

/**
 * A load generator on a thread of its own: it stands for Graph, another machine, so its
 * requests must not queue behind the host's work on the host's event loop (nor the host's
 * behind its own). It POSTs `template` with every `__I__` replaced by the request's number
 * (offset … offset+count−1), `concurrency` in flight, stops sending at `capMs`, and reports
 * every latency (send to full answer) and status.
 */
export interface PostLoad {
  url: string;
  template: string;
  count: number;
  offset: number;
  concurrency: number;
  capMs: number;
}

export interface PostLoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  wallMs: number;
}

export function runPostLoad(load: PostLoad): Promise<PostLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./post-load-worker.mjs', import.meta.url), { workerData: load });
    worker.once('message', (result: PostLoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with code ${code}`));
    });
  });
}
