// The root composition element of the entry: id, size, fps and written duration (variables: variables.ts).
import { DEFAULT_FPS } from '../model';
import { DEFAULT_COMPOSITION_HEIGHT, DEFAULT_COMPOSITION_WIDTH } from '../limits';
import { readNumber } from './attributes';
import type { DiagnosticSink } from './diagnostics';
import { walkElements, type SourceElement, type SourceFile } from './parseHtml';
import { START_OF_FILE } from './sourceText';

export interface RootFacts {
  element: SourceElement | undefined;
  /**
   * Set when the entry is itself a sub-composition file (its root only exists inside a <template>):
   * it is compiled standalone, with the template unwrapped so its content is live.
   */
  template: SourceElement | undefined;
  id: string | undefined;
  width: number;
  height: number;
  fps: number;
  /** data-duration (or data-composition-duration) when written and above 0. */
  duration: number | undefined;
}

/** The top-most element with data-composition-id (the first one in document order). */
function firstComposition(elements: readonly SourceElement[]): SourceElement | undefined {
  let root: SourceElement | undefined;
  walkElements(elements, element => {
    if (root) return false;
    if (element.attrs.has('data-composition-id')) root = element;
    return root === undefined;
  });
  return root;
}

/** The root, else (a sub-composition file opened on its own) the first template holding one. */
function findRoot(entry: SourceFile): { element: SourceElement | undefined; template: SourceElement | undefined } {
  const element = firstComposition(entry.elements);
  if (element) return { element, template: undefined };
  let template: SourceElement | undefined;
  walkElements(entry.elements, candidate => {
    if (template) return false;
    if (candidate.templateContent && firstComposition(candidate.templateContent)) template = candidate;
    return template === undefined;
  });
  return { element: template && firstComposition(template.templateContent!), template };
}

export function readRoot(sink: DiagnosticSink, entry: SourceFile, fpsOverride: number | undefined): RootFacts {
  const { element, template } = findRoot(entry);
  const facts: RootFacts = {
    element, template, id: undefined, width: DEFAULT_COMPOSITION_WIDTH, height: DEFAULT_COMPOSITION_HEIGHT,
    fps: fpsOverride !== undefined && fpsOverride > 0 ? fpsOverride : DEFAULT_FPS, duration: undefined,
  };
  if (!element) {
    sink.add(entry.path, START_OF_FILE, 'error', 'root_missing_composition_id',
      'No element has data-composition-id, so this file is not a HyperFrames composition. Add data-composition-id="main" data-width="1920" data-height="1080" to the element that holds it.');
    return facts;
  }
  const idAttr = element.attrs.get('data-composition-id')!;
  facts.id = idAttr.value.trim() || undefined;
  if (!facts.id) {
    sink.atValue(entry, idAttr, 'error', 'root_missing_composition_id',
      'data-composition-id is empty. Name the composition, e.g. data-composition-id="main"; timelines are registered under this name.');
  }
  const width = readNumber(sink, entry, element, 'data-width', { positive: true, example: String(DEFAULT_COMPOSITION_WIDTH) });
  const height = readNumber(sink, entry, element, 'data-height', { positive: true, example: String(DEFAULT_COMPOSITION_HEIGHT) });
  // A sub-composition takes its size from its host: only a real root must say it.
  const missing = template ? [] : ['data-width', 'data-height'].filter(name => !element.attrs.has(name));
  if (missing.length > 0) {
    sink.atTagName(entry, element, 'error', 'root_missing_dimensions',
      `The root composition is missing ${missing.join(' and ')}: the video's size comes from them. Add ${missing.map(name => `${name}="${name === 'data-width' ? DEFAULT_COMPOSITION_WIDTH : DEFAULT_COMPOSITION_HEIGHT}"`).join(' ')}.`,
      { missing });
  }
  facts.width = width ?? facts.width;
  facts.height = height ?? facts.height;
  const fps = readNumber(sink, entry, element, 'data-fps', { positive: true, example: String(DEFAULT_FPS) });
  if (fpsOverride === undefined || fpsOverride <= 0) facts.fps = fps ?? DEFAULT_FPS;
  const duration = readNumber(sink, entry, element, 'data-duration', { example: '5' })
    ?? readNumber(sink, entry, element, 'data-composition-duration', { example: '5' });
  // A written 0 means "find out in the browser", as the reference treats it.
  facts.duration = duration !== undefined && duration > 0 ? duration : undefined;
  return facts;
}
