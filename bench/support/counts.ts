/** Reading the emulators' request logs: which counted requests are writes, and which are delta reads. */

const WRITE = /^(POST|PATCH|PUT|DELETE) /;

/** Sum of counts whose "METHOD /route" key matches. */
export function countWhere(counts: Record<string, number>, test: (route: string) => boolean): number {
  return Object.entries(counts).reduce((sum, [route, n]) => sum + (test(route) ? n : 0), 0);
}

export const isWrite = (route: string) => WRITE.test(route);

export const isContactWrite = (route: string) => WRITE.test(route) && /contacts|\$batch/i.test(route);

export const isDeltaRead = (route: string) => route.startsWith('GET ') && route.includes('/delta');
