/** Small measuring tools: percentiles, a stopwatch, and a memory sampler for this process. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarise(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const now = () => performance.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it holds; resolves with the milliseconds it took. */
export async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 2) {
  const start = now();
  for (;;) {
    if (await done()) return now() - start;
    if (now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export interface MemoryPeak {
  rssStartMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  heapStartMb: number;
  heapPeakMb: number;
  heapGrowthMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples process.memoryUsage() every `everyMs` until stopped; returns start and peak. */
export function sampleMemory(everyMs = 100): { stop(): MemoryPeak } {
  const start = process.memoryUsage();
  let rssPeak = start.rss;
  let heapPeak = start.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        rssStartMb: mb(start.rss),
        rssPeakMb: mb(rssPeak),
        rssGrowthMb: mb(rssPeak - start.rss),
        heapStartMb: mb(start.heapUsed),
        heapPeakMb: mb(heapPeak),
        heapGrowthMb: mb(heapPeak - start.heapUsed),
      };
    },
  };
}
