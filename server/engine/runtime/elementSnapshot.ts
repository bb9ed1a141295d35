// Element snapshots: the HTML-in-canvas API (`CanvasRenderingContext2D.drawElementImage`, Chromium's
// CanvasDrawElement feature) for a browser that lacks it — VS Code's webview, any stock Chrome — so the
// shader compositor of @hyperframes/shader-transitions (renderMode.ts) composites real scene pixels in the
// preview instead of falling back to a cut.
//
// The package detects the API at init (a canvas with a `layoutSubtree` property whose 2D context has a
// `drawElementImage` function), so both are defined here, before any page script runs. It calls
// drawElementImage synchronously on the scene clones it staged in `layoutsubtree` canvases, which this
// browser never paints; so between its prepare and its resolve the runtime calls `captureStaged()`, which
// turns each staged clone into a bitmap: the clone serialized into an SVG `<foreignObject>` with every
// computed style inlined (its place in the page's cascade goes with it), images and CSS `url()`s inlined
// as data URLs (an SVG image loads nothing), and the @font-face rules of the families it uses with their
// files inlined. drawElementImage then draws that bitmap; an element with no snapshot throws as the native
// API does for an element it never painted, and the package falls back to its cut for that frame.
//
// A <video> in a clone has no frame of its own; the snapshot shows the live video's current frame (the
// render shows the same frame: its capture paints each video's exact frame into an <img> the clone copies).
// Not reproduced: the pixels of a <canvas> inside a scene (its clone is blank, natively too), form-control
// state, and faces added from script (`new FontFace(name, buffer)`, no URL to inline).

const SVG_NS = 'http://www.w3.org/2000/svg';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
/** A CSS `url(...)` in a computed or rule value, quoted or not. */
const CSS_URL = /url\(\s*(['"]?)([^'")]+)\1\s*\)/g;
/** Computed values that may hold a `url()` to inline. */
const URL_PROPERTIES = new Set(['background-image', 'border-image-source', 'list-style-image', 'mask-image', '-webkit-mask-image', 'content', 'cursor']);
/** Pseudo-elements whose computed style is carried over as a rule on a generated class. */
const PSEUDO_ELEMENTS = ['::before', '::after'] as const;
const PSEUDO_CLASS_PREFIX = '__hf-snapshot-';

type DrawElementImage = (element: Element, x: number, y: number, width?: number, height?: number) => void;
type ContextWithDrawElement = CanvasRenderingContext2D & { drawElementImage?: DrawElementImage };

export interface ElementSnapshots {
  /** Snapshots every element staged in a `layoutsubtree` canvas; drawElementImage draws these until the next call. */
  captureStaged(): Promise<void>;
}

/**
 * Installs the stand-in API when the browser has no drawElementImage; undefined when it has (the capture
 * browsers, the probe: the native API reads the painted clones and nothing here is needed).
 */
export function installElementSnapshots(win: Window & typeof globalThis): ElementSnapshots | undefined {
  const contextPrototype = win.CanvasRenderingContext2D.prototype as ContextWithDrawElement;
  if (typeof contextPrototype.drawElementImage === 'function') return undefined;

  let snapshots = new WeakMap<Element, HTMLImageElement>();
  if (!('layoutSubtree' in win.HTMLCanvasElement.prototype)) {
    Object.defineProperty(win.HTMLCanvasElement.prototype, 'layoutSubtree', {
      configurable: true,
      enumerable: true,
      get(this: HTMLCanvasElement) { return this.hasAttribute('layoutsubtree'); },
      set(this: HTMLCanvasElement, on: unknown) { this.toggleAttribute('layoutsubtree', Boolean(on)); },
    });
  }
  const drawElementImage: DrawElementImage = function (this: CanvasRenderingContext2D, element, x, y, width, height) {
    const image = snapshots.get(element);
    if (!image) throw new win.DOMException('No cached paint record for element.', 'InvalidStateError');
    this.drawImage(image, x, y, width ?? image.naturalWidth, height ?? image.naturalHeight);
  };
  Object.defineProperty(contextPrototype, 'drawElementImage', { configurable: true, writable: true, value: drawElementImage });

  const inliner = new ResourceInliner(win);
  /** The previous capture's bitmaps by their SVG: a scene that did not change between frames is not decoded again. */
  let decoded = new Map<string, HTMLImageElement>();
  let latestCapture = 0;
  return {
    async captureStaged() {
      const capture = ++latestCapture;
      const next = new WeakMap<Element, HTMLImageElement>();
      const nextDecoded = new Map<string, HTMLImageElement>();
      const staged = Array.from(win.document.querySelectorAll<HTMLCanvasElement>('canvas[layoutsubtree]'),
        canvas => Array.from(canvas.children, child => ({ canvas, child }))).flat();
      // One failed snapshot (an image that will not decode) leaves only its element undrawable.
      await Promise.allSettled(staged.map(async ({ canvas, child }) => {
        const svg = await snapshotSvg(win, inliner, child, canvas.width, canvas.height);
        const image = decoded.get(svg) ?? await decodeSvg(win, svg, canvas.width, canvas.height);
        nextDecoded.set(svg, image);
        next.set(child, image);
      }));
      // A capture that a newer seek overtook (a slow decode while scrubbing) must not replace the newer one.
      if (capture !== latestCapture) return;
      snapshots = next;
      decoded = nextDecoded;
    },
  };
}

/** Data URLs of the page's resources, fetched once per URL: a scene's images and fonts recur every frame. */
class ResourceInliner {
  private readonly dataUrls = new Map<string, Promise<string>>();

  constructor(private readonly win: Window & typeof globalThis) {}

  dataUrl(url: string, base: string): Promise<string> {
    if (url.startsWith('data:')) return Promise.resolve(url);
    const absolute = new URL(url, base).href;
    let pending = this.dataUrls.get(absolute);
    if (!pending) {
      pending = this.fetchDataUrl(absolute).catch(() => absolute);
      this.dataUrls.set(absolute, pending);
    }
    return pending;
  }

  /** Every `url()` in a CSS value, inlined (one that cannot be fetched stays as it was and draws nothing). */
  async inlineCssUrls(value: string, base: string): Promise<string> {
    const urls = Array.from(value.matchAll(CSS_URL), match => match[2]);
    if (urls.length === 0) return value;
    const inlined = new Map(await Promise.all(urls.map(async url => [url, await this.dataUrl(url, base)] as const)));
    return value.replace(CSS_URL, (_match, _quote: string, url: string) => `url("${inlined.get(url) ?? url}")`);
  }

  private async fetchDataUrl(url: string): Promise<string> {
    const response = await this.win.fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const blob = await response.blob();
    return new Promise<string>((resolve, reject) => {
      const reader = new this.win.FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error ?? new Error(`${url}: unreadable`));
      reader.readAsDataURL(blob);
    });
  }
}

/** An SVG image of the element's border box at (0, 0) of a width × height bitmap. */
async function snapshotSvg(win: Window & typeof globalThis, inliner: ResourceInliner, element: Element, width: number, height: number): Promise<string> {
  const doc = win.document;
  const pseudoRules: string[] = [];
  const families = new Set<string>();
  const copy = await copyWithStyles(win, inliner, element, liveCounterpart(win, element), pseudoRules, families);
  if (copy instanceof win.HTMLElement || copy instanceof win.SVGElement) {
    // Where the element sits in its canvas is the caller's x, y: its box starts at the bitmap's origin.
    copy.style.setProperty('position', 'absolute');
    copy.style.setProperty('left', '0px');
    copy.style.setProperty('top', '0px');
    copy.style.setProperty('margin', '0px');
  }
  const fontCss = await fontFaceCss(win, inliner, families);

  const frame = doc.createElementNS(XHTML_NS, 'div');
  frame.setAttribute('style', `position:relative;width:${width}px;height:${height}px;overflow:hidden;margin:0;padding:0`);
  const style = doc.createElementNS(XHTML_NS, 'style');
  style.textContent = [fontCss, ...pseudoRules].join('\n');
  frame.append(style, copy);
  const markup = new win.XMLSerializer().serializeToString(frame);
  return `<svg xmlns="${SVG_NS}" width="${width}" height="${height}"><foreignObject x="0" y="0" width="${width}" height="${height}">${markup}</foreignObject></svg>`;
}

async function decodeSvg(win: Window & typeof globalThis, svg: string, width: number, height: number): Promise<HTMLImageElement> {
  const image = new win.Image(width, height);
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  return image;
}

/** The computed style of `source` (or of one of its pseudo-elements) as declarations, its `url()`s inlined. */
async function computedDeclarations(win: Window, inliner: ResourceInliner, source: Element, pseudo?: string): Promise<string> {
  const computed = win.getComputedStyle(source, pseudo);
  const base = win.document.baseURI;
  const declarations: Promise<string>[] = [];
  for (let index = 0; index < computed.length; index++) {
    const name = computed.item(index);
    const value = computed.getPropertyValue(name);
    declarations.push(URL_PROPERTIES.has(name) && value.includes('url(')
      ? inliner.inlineCssUrls(value, base).then(inlined => `${name}:${inlined}`)
      : Promise.resolve(`${name}:${value}`));
  }
  return (await Promise.all(declarations)).join(';');
}

/**
 * The element a staged clone was cloned from: the one with its id outside any `layoutsubtree` canvas (the
 * package clones each scene by id, deep, this frame, so the two trees have the same shape).
 */
function liveCounterpart(win: Window & typeof globalThis, clone: Element): Element | undefined {
  if (!clone.id) return undefined;
  return Array.from(win.document.querySelectorAll(`[id="${win.CSS.escape(clone.id)}"]`))
    .find(candidate => candidate !== clone && !candidate.closest('canvas[layoutsubtree]'));
}

/** The frame a video shows now, as a data URL; undefined before it has one (or when it is cross-origin). */
function videoFrameDataUrl(win: Window, video: HTMLVideoElement): string | undefined {
  if (video.readyState < video.HAVE_CURRENT_DATA || video.videoWidth === 0) return undefined;
  const canvas = win.document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.drawImage(video, 0, 0);
  try {
    return canvas.toDataURL('image/png');
  } catch {
    return undefined; // A tainted frame cannot be read back.
  }
}

/**
 * A deep copy of `source` whose every element carries its computed style inline; `live` is the element
 * `source` was cloned from, where it is known (what a clone does not copy: a video's current frame).
 */
async function copyWithStyles(win: Window & typeof globalThis, inliner: ResourceInliner, source: Element, live: Element | undefined, pseudoRules: string[], families: Set<string>): Promise<Node> {
  if (source instanceof win.HTMLScriptElement || source instanceof win.HTMLTemplateElement) return win.document.createComment('');
  const frame = source instanceof win.HTMLVideoElement ? videoFrameDataUrl(win, live instanceof win.HTMLVideoElement ? live : source) : undefined;
  // The video's box and fit (its computed style) on an <img> of its frame.
  const copy = frame ? win.document.createElement('img') : source.cloneNode(false) as Element;
  if (frame) copy.setAttribute('src', frame);
  // The element's own style attribute after the computed values: an element the browser does not lay out
  // (a clone in a canvas) computes `transform` and its kin as none, while the attribute holds a tween's value.
  const inline = source.getAttribute('style');
  copy.setAttribute('style', `${await computedDeclarations(win, inliner, source)}${inline ? `;${await inliner.inlineCssUrls(inline, win.document.baseURI)}` : ''}`);
  for (const family of win.getComputedStyle(source).fontFamily.split(',')) families.add(normalFamily(family));

  for (const pseudo of PSEUDO_ELEMENTS) {
    const pseudoStyle = win.getComputedStyle(source, pseudo);
    if (pseudoStyle.content === 'none' || pseudoStyle.content === 'normal' || pseudoStyle.content === '') continue;
    for (const family of pseudoStyle.fontFamily.split(',')) families.add(normalFamily(family));
    const className = `${PSEUDO_CLASS_PREFIX}${pseudoRules.length}`;
    copy.classList.add(className);
    pseudoRules.push(`.${className}${pseudo}{${await computedDeclarations(win, inliner, source, pseudo)}}`);
  }

  // currentSrc is empty until the image's source selection ran, which a clone made this frame may not have yet.
  const imageSource = source instanceof win.HTMLImageElement ? source.currentSrc || source.src : '';
  if (imageSource) {
    copy.removeAttribute('srcset');
    copy.removeAttribute('loading');
    copy.setAttribute('src', await inliner.dataUrl(imageSource, win.document.baseURI));
  }
  if (source instanceof win.SVGImageElement) {
    const href = source.href.baseVal;
    if (href) copy.setAttribute('href', await inliner.dataUrl(href, win.document.baseURI));
  }

  if (frame) return copy;
  const sourceChildren = Array.from(source.children);
  const liveChildren = live && live.children.length === sourceChildren.length ? Array.from(live.children) : [];
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === win.Node.ELEMENT_NODE) {
      const element = child as Element;
      copy.appendChild(await copyWithStyles(win, inliner, element, liveChildren[sourceChildren.indexOf(element)], pseudoRules, families));
    } else if (child.nodeType === win.Node.TEXT_NODE) {
      copy.appendChild(child.cloneNode(false));
    }
  }
  return copy;
}

function normalFamily(family: string): string {
  return family.trim().replace(/^(['"])(.*)\1$/, '$2').toLowerCase();
}

/** The page's @font-face rules for `families`, their files inlined; only faces the document loaded. */
async function fontFaceCss(win: Window & typeof globalThis, inliner: ResourceInliner, families: Set<string>): Promise<string> {
  const loaded = new Set<string>();
  win.document.fonts.forEach(face => { if (face.status === 'loaded') loaded.add(normalFamily(face.family)); });
  const rules: Promise<string>[] = [];
  const visit = (sheet: CSSStyleSheet) => {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      return; // A cross-origin sheet cannot be read; its faces stay out of the snapshot.
    }
    const base = sheet.href ?? win.document.baseURI;
    const walk = (ruleList: CSSRuleList) => {
      for (const rule of Array.from(ruleList)) {
        if (rule instanceof win.CSSImportRule) {
          if (rule.styleSheet) visit(rule.styleSheet);
        } else if (rule instanceof win.CSSFontFaceRule) {
          const family = normalFamily(rule.style.getPropertyValue('font-family'));
          if (families.has(family) && loaded.has(family)) rules.push(inliner.inlineCssUrls(rule.cssText, base));
        } else if (rule instanceof win.CSSGroupingRule) {
          walk(rule.cssRules);
        }
      }
    };
    walk(list);
  };
  for (const sheet of Array.from(win.document.styleSheets)) visit(sheet);
  return (await Promise.all(rules)).join('\n');
}
