let next = 0;

/** A fresh, never repeated ETag for the in-memory fakes. */
export function nextEtag(): string {
  next += 1;
  return `W/"fake-${next}"`;
}

/** Deep copy, so callers can never change what a fake has stored through a reference. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
