/** Tiny DOM helpers: elements from a tag, attributes and children; text is always escaped. */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  // `value` last: a range input clamps and rounds its value to the min, max and step it has
  // when the value is set, so a value set before them would start at the wrong number.
  const ordered = Object.entries(attributes).sort(([a], [b]) => Number(a === 'value') - Number(b === 'value'));
  for (const [name, value] of ordered) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

export function showError(error: unknown): void {
  const banner = document.getElementById('error')!;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error && 'code' in error ? ` (${String(error.code)})` : '';
  banner.textContent = message + code;
  banner.hidden = false;
}

export function clearError(): void {
  document.getElementById('error')!.hidden = true;
}
