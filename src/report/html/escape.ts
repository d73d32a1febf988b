/**
 * Escaping for the HTML report. Every string from a run record is untrusted (scenario names
 * and descriptions come from YAML files, causes and errors from backends), so markup is built
 * only through the `html` tagged template, which escapes every interpolated value unless it is
 * already `Html`. `raw` is for the report's own constant CSS, script and markup.
 */

const HTML_BRAND: unique symbol = Symbol('statuschaos.html');

/** Markup that is safe to insert as is. */
export interface Html {
  readonly [HTML_BRAND]: true;
  readonly markup: string;
}

/** What the template accepts: text (escaped), markup, lists of either, and nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: `& < > " '` become entities; control characters are dropped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** Trusted markup (the report's own constants), inserted without escaping. */
export function raw(markup: string): Html {
  return { [HTML_BRAND]: true, markup };
}

/** True when the value is markup made by `html` or `raw`. */
export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && HTML_BRAND in value;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isHtml(value)) return value.markup;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are markup, every `${value}` is escaped unless it is `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let markup = strings[0]!;
  for (let index = 0; index < values.length; index++) markup += render(values[index]!) + strings[index + 1]!;
  return raw(markup);
}

/** Join markup fragments with a separator (itself escaped unless `Html`). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  return raw(parts.map((part) => render(part)).join(render(separator)));
}

/**
 * JSON for an inline `<script>`: `<`, `>` and `&` as \u escapes so no `</script>` or `<!--` can
 * end the element early, and U+2028/U+2029 escaped for older parsers.
 */
export function scriptJson(value: unknown): Html {
  const json = JSON.stringify(value) ?? 'null';
  return raw(json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
