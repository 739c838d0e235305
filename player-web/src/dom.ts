/**
 * A tiny element builder, so the pages stay framework-free without strings of HTML (text always
 * goes in as text, never parsed).
 */

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/**
 * Creates an element; `data-*`, `aria-*` and other attributes are set as attributes, `false` and
 * `undefined` leave them out.
 * @example el('button', { class: 'big', 'data-action': 'play' }, 'Play')
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The element matching `selector` inside `root`; throws naming the selector when it is missing. */
export function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`page is missing ${selector}`);
  return found;
}

/** Sets text only when it changed, so screen readers and selections are not disturbed every second. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
