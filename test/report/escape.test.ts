// The one way text from a run record gets into a page: escaped, unless it is markup we made.
import { describe, expect, test } from 'vitest';
import { escapeHtml, html, joinHtml, raw, scriptJson } from '../../src/report/html/escape.ts';

describe('escapeHtml', () => {
  test.for([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['a & b', 'a &amp; b'],
    [`"quoted" 'single'`, '&quot;quoted&quot; &#39;single&#39;'],
    ['bell\u0007 and NUL\u0000 dropped, tab\tkept', 'bell and NUL dropped, tab\tkept'],
    ['RUNNING → FAILED', 'RUNNING → FAILED'],
  ] as const)('%s', ([text, escaped]) => expect(escapeHtml(text)).toBe(escaped));
});

describe('html template', () => {
  test('escapes every interpolated string, in text and in attributes', () => {
    const name = '"><script>alert(1)</script>';
    expect(html`<a title="${name}">${name}</a>`.markup).toBe('<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>');
  });

  test('inserts markup made by html or raw as is, and flattens lists', () => {
    const items = ['<b>', 'ok'].map((text) => html`<li>${text}</li>`);
    expect(html`<ul>${items}</ul>${raw('<hr>')}`.markup).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul><hr>');
  });

  test('numbers print, false/null/undefined print nothing', () => {
    expect(html`${1.5}|${false}|${null}|${undefined}|${0}`.markup).toBe('1.5||||0');
  });

  test('a plain object that looks like markup is still escaped as text', () => {
    const fake = { markup: '<img>' } as unknown as string;
    expect(html`${fake}`.markup).toBe('[object Object]');
  });

  test('joinHtml escapes text parts and the separator', () => {
    expect(joinHtml(['<a>', html`<b>x</b>`], ' & ').markup).toBe('&lt;a&gt; &amp; <b>x</b>');
  });
});

describe('scriptJson', () => {
  test('cannot end the script element or open a comment, and still parses to the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', comment: '<!-- x -->', amp: 'a&b', separators: '\u2028\u2029' };
    const json = scriptJson(value).markup;
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual(value);
  });
});
