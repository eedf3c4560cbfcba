/**
 * Finds secrets in text: a whole secret, its URL-encoded form, or any fragment of `window`
 * characters of it (a log line cut at 300 characters still leaks what it kept), and anything
 * shaped like a JWT (`eyJ…` header, `.`, `eyJ…` payload), whoever issued it.
 */
export interface Finding {
  name: string;
  excerpt: string;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;

export function secretScanner(
  secrets: Readonly<Record<string, string>>,
  window = 16,
): (text: string) => Finding[] {
  const fragments = new Map<string, string>();
  const whole: [string, string][] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (form.length < window) whole.push([name, form]);
      for (let i = 0; i + window <= form.length; i++) fragments.set(form.slice(i, i + window), name);
    }
  }
  return (text) => {
    const found = new Map<string, string>();
    for (let i = 0; i + window <= text.length; i++) {
      const name = fragments.get(text.slice(i, i + window));
      if (name && !found.has(name)) found.set(name, text.slice(Math.max(0, i - 20), i + window + 20));
    }
    for (const [name, form] of whole) if (text.includes(form) && !found.has(name)) found.set(name, form);
    const jwt = JWT.exec(text);
    if (jwt) found.set('a JWT', jwt[0].slice(0, 40));
    return [...found].map(([name, excerpt]) => ({ name, excerpt }));
  };
}
