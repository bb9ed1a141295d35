// Results of pure text → value scans, remembered for the texts seen last. The language server compiles on
// every keystroke, and most of a large file's scripts and stylesheets do not change between two compiles:
// their scans are taken from here instead of being redone.

/** How many distinct texts each memo keeps (a composition's scripts and stylesheets, a few edits back). */
const TEXT_MEMO_CAPACITY = 256;

/** `scan` memoised on its text argument; the least recently used entry goes first. Results must not be mutated. */
export function memoByText<T>(scan: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string): T => {
    const hit = cache.get(text);
    if (hit !== undefined) {
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    const value = scan(text);
    cache.set(text, value);
    if (cache.size > TEXT_MEMO_CAPACITY) cache.delete(cache.keys().next().value!);
    return value;
  };
}
