import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, safeUrl } from '../../../web/html.js';

describe('html templates', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const evil = `"><script>alert('x')</script>&\``;
    const out = html`<p title="${evil}">${evil}</p>`.toString();
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</p>',
    );
  });

  it('keeps nested templates as markup, joins arrays, drops null/undefined/false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.toString()).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>0',
    );
  });

  it('never lets a string produce a tag or break out of an attribute', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = html`${text}`.toString();
        expect(escaped).not.toMatch(/[<>"'`]/);
        const out = html`<a title="${text}">${text}</a>`.toString();
        expect(out).toBe(`<a title="${escaped}">${escaped}</a>`);
        expect(escapeHtml(text).length).toBeGreaterThanOrEqual(text.length);
      }),
    );
  });

  it('allows only same-origin paths and http(s) URLs in links', () => {
    expect(safeUrl('/konten/1')).toBe('/konten/1');
    expect(safeUrl('https://login.example/x?a=1')).toBe('https://login.example/x?a=1');
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl('//evil.example/')).toBe('#');
    expect(safeUrl('data:text/html,x')).toBe('#');
  });
});
