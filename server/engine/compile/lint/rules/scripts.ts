// Script rules: the timeline registry (none at all, or none and no data-no-timeline), wall-clock animation
// (requestAnimationFrame), non-deterministic values, and template-literal selectors the bundler cannot parse.
import type { EngineDiagnostic } from '../../../model';
import type { LintFile, LintReporter, LintScript } from '../context';
import { elementId } from '../context';
import type { LintCode } from '../codes';

const REGISTRY_INIT = /window\.__timelines\s*=\s*window\.__timelines\s*\|\|\s*\{\}|window\.__timelines\s*=\s*\{\}|window\.__timelines\s*\?\?=\s*\{\}/i;
const REGISTRY_OBJECT_LITERAL = /window\.__timelines\s*=\s*\{\s*(?:["'][^"']+["']|[A-Za-z_$][\w$]*)\s*:/i;
const REGISTRY_ASSIGN = /window\.__timelines(?:\[[^\]]+\]|\.[A-Za-z_$][\w$]*)\s*=/i;
const COMPUTED_REGISTRATION = /__timelines\s*\[\s*[^\s"'`\]]/;
const LITERAL_KEYS = /__timelines\s*(?:\[\s*(["'`])([^"'`\\\n]*)\1\s*\]|\.\s*([A-Za-z_$][\w$]*))\s*=(?!=)/g;

/** The script with string literals' contents blanked (offsets kept): what executes, not what it says. */
export function blankStrings(code: string): string {
  return code.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, literal => literal[0] + ' '.repeat(literal.length - 2) + literal[0]);
}

function registryIn(lint: LintFile): boolean {
  return lint.scripts.some(script => REGISTRY_INIT.test(script.code) || REGISTRY_ASSIGN.test(script.code) || REGISTRY_OBJECT_LITERAL.test(script.code));
}

/**
 * A root composition file with no `window.__timelines` registration at all. When a GSAP timeline exists the
 * compile stage already reported it on that timeline (scripts.ts, same code); then this one is not repeated.
 */
export function lintTimelineRegistry(report: LintReporter, lint: LintFile, reported: readonly EngineDiagnostic[]): void {
  const root = lint.root;
  if (lint.isSubComposition || !root || root.attrs.has('data-no-timeline')) return;
  if (!registryIn(lint) && !reported.some(d => d.file === lint.file.path && d.code === 'missing_timeline_registry')) {
    report.atTagName(root, 'missing_timeline_registry', 'Missing `window.__timelines` registration.',
      'Register each composition timeline on `window.__timelines[compositionId]`, or add data-no-timeline to the root if it has none.',
      { compositionId: root.attrs.get('data-composition-id')?.value.trim() });
  }
}

/** The producer waits up to 45 s for every composition id no script registers, unless it says data-no-timeline. */
export function lintMissingNoTimeline(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  if (!root || lint.hasExternalScripts) return;
  if (lint.scripts.some(script => COMPUTED_REGISTRATION.test(script.code))) return;
  const registered = new Set<string>();
  for (const script of lint.scripts) for (const match of script.code.matchAll(LITERAL_KEYS)) registered.add(match[2] ?? match[3]);
  for (const element of lint.elements) {
    const id = element.attrs.get('data-composition-id')?.value;
    if (!id || registered.has(id)) continue;
    const isRoot = element === root;
    if (isRoot && lint.isSubComposition) continue;
    if (element.attrs.has('data-no-timeline') || element.attrs.has('data-composition-src') || element.attrs.has('data-composition-file')) continue;
    report.atTagName(element, 'missing_data_no_timeline',
      isRoot
        ? 'This composition has no `window.__timelines` registration but is missing `data-no-timeline`: the producer polls for a timeline for up to 45 seconds before timing out, adding 45 s to every render.'
        : `Composition host "${id}" has neither a matching \`window.__timelines\` registration nor \`data-no-timeline\`: the producer waits up to 45 seconds for every data-composition-id before rendering.`,
      isRoot
        ? 'Add `data-no-timeline` to the root element to skip the poll.'
        : 'For a static section use a plain id instead of data-composition-id, or add data-no-timeline; otherwise register its timeline or mount it with data-composition-src.',
      { elementId: elementId(element), compositionId: id });
  }
}

interface ScriptPattern {
  pattern: RegExp;
  label: string;
  hint: string;
  /** Matches the text of string literals too (GSAP parses "random(...)" values). */
  inStrings?: true;
}

const NON_DETERMINISTIC: readonly ScriptPattern[] = [
  { pattern: /Math\.random\s*\(/, label: 'Math.random()', hint: 'Use a seeded PRNG (e.g. mulberry32) so renders are deterministic across frames.' },
  { pattern: /Date\.now\s*\(/, label: 'Date.now()', hint: 'Remove time-dependent code: use the GSAP timeline position instead of wall-clock time.' },
  { pattern: /new\s+Date\s*\(\s*\)/, label: 'new Date()', hint: 'Remove time-dependent code: use the GSAP timeline position instead of wall-clock time.' },
  { pattern: /performance\.now\s*\(/, label: 'performance.now()', hint: 'Remove time-dependent code: use the GSAP timeline position instead of wall-clock time.' },
  { pattern: /crypto\.getRandomValues\s*\(/, label: 'crypto.getRandomValues()', hint: 'Use a seeded PRNG (e.g. mulberry32) so renders are deterministic across frames.' },
  { pattern: /gsap\.utils\.random\s*\(/, label: 'gsap.utils.random()', hint: 'Each render worker initialises on its own, so random values diverge across chunks: use a seeded PRNG or fixed values.' },
  { pattern: /["'`](?:[+-]=)?random\(\s*[-\d[]/, label: '"random(...)" tween value', inStrings: true, hint: 'GSAP re-rolls random string values at tween init in each render worker: use fixed values or precompute them with a seeded PRNG.' },
];

function reportAt(report: LintReporter, script: LintScript, index: number, length: number, code: LintCode, message: string, hint: string): void {
  report.atOffsets(script.offset + index, script.offset + index + length, code, message, hint);
}

export function lintScriptCode(report: LintReporter, lint: LintFile): void {
  for (const script of lint.scripts) {
    const executable = blankStrings(script.code);
    const raf = /requestAnimationFrame(?=\s*\()/.exec(executable);
    if (raf) {
      reportAt(report, script, raf.index, raf[0].length, 'requestanimationframe_in_composition',
        '`requestAnimationFrame` runs on wall-clock time, not the GSAP timeline: it does not follow frame capture and may flicker or miss frames in renders.',
        'Use GSAP tweens or onUpdate callbacks instead of requestAnimationFrame.');
    }
    for (const { pattern, label, hint, inStrings } of NON_DETERMINISTIC) {
      const match = pattern.exec(inStrings ? script.code : executable);
      if (!match) continue;
      const at = inStrings ? match.index + 1 : match.index;
      const length = inStrings ? match[0].length - 1 : match[0].replace(/\s*\($/, '').length;
      reportAt(report, script, at, length, 'non_deterministic_code',
        `Script contains \`${label}\`, which produces non-deterministic output: renders may differ between frames or runs.`, hint);
    }
    for (const match of script.code.matchAll(/(?:querySelector|querySelectorAll)\s*\(\s*`[^`]*\$\{[^}]+\}[^`]*`\s*\)/g)) {
      reportAt(report, script, match.index, match[0].length, 'template_literal_selector',
        'querySelector uses a template literal variable (e.g. `${compId}`): the HTML bundler\'s CSS parser crashes on these.',
        'Replace the template literal with a hardcoded selector string.');
    }
  }
}

const USES_GSAP = /\bgsap\s*\.\s*(?:to|from|fromTo|timeline|set|registerPlugin)\b/;
const INLINED_GSAP = /\/\*\s*inlined:.*gsap|\b_gsScope\b|\bGreenSock\b|\bgsap\.(?:config|defaults|version)\b/i;
/** An inline script this long that names gsap is taken for GSAP itself, inlined. */
const INLINED_LIBRARY_CHARS = 5000;

/** A composition page that calls GSAP but loads no GSAP script (a sub-composition gets it from its host). */
export function lintMissingGsapScript(report: LintReporter, lint: LintFile): void {
  if (lint.isSubComposition || /^\s*<template/i.test(lint.file.text)) return;
  let firstUse: { script: LintScript; index: number } | undefined;
  for (const script of lint.scripts) {
    if (INLINED_GSAP.test(script.code) || (script.code.length > INLINED_LIBRARY_CHARS && /\bgsap\b/i.test(script.code))) return;
    const use = USES_GSAP.exec(script.code);
    if (use && !firstUse) firstUse = { script, index: use.index };
  }
  if (!firstUse) return;
  if (lint.elements.some(element => element.tagName === 'script' && /gsap/i.test(element.attrs.get('src')?.value ?? ''))) return;
  const at = firstUse.script.offset + firstUse.index;
  report.atOffsets(at, at + 'gsap'.length, 'missing_gsap_script', 'Composition uses GSAP but no GSAP script is loaded. The animation will not run.',
    'Add <script src="https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"></script> before your animation script.');
}

/** Lottie or Three.js used without its script (the in-page runtime drives them, it does not load them). */
export function lintMissingRuntimeScripts(report: LintReporter, lint: LintFile): void {
  const sources = lint.elements.filter(element => element.tagName === 'script').map(element => element.attrs.get('src')?.value ?? '');
  const lottieAttr = lint.elements.find(element => element.attrs.has('data-lottie-src'));
  let lottieUse: { script: LintScript; index: number; length: number } | undefined;
  let threeUse: { script: LintScript; index: number; length: number } | undefined;
  let threeImported = false;
  for (const script of lint.scripts) {
    const lottie = /lottie\.(?:loadAnimation|setSpeed|play|stop|destroy)\b/.exec(script.code);
    if (lottie && !lottieUse) lottieUse = { script, index: lottie.index, length: lottie[0].length };
    const three = /\bTHREE\./.exec(script.code);
    if (three && !threeUse) threeUse = { script, index: three.index, length: 'THREE'.length };
    if (/\b(?:import|from)\s*[^;\n]*['"][^'"]*three[^'"]*['"]/i.test(script.code)) threeImported = true;
  }
  if (lint.elements.some(element => element.tagName === 'script' && /importmap/i.test(element.attrs.get('type')?.value ?? ''))) threeImported = true;
  if ((lottieAttr || lottieUse) && !sources.some(src => /lottie/i.test(src))) {
    const message = 'Composition uses Lottie but no Lottie script is loaded. The animation will not render.';
    const hint = 'Add <script src="https://cdn.jsdelivr.net/npm/lottie-web@5/build/player/lottie.min.js"></script> before your Lottie code.';
    if (lottieUse) report.atOffsets(lottieUse.script.offset + lottieUse.index, lottieUse.script.offset + lottieUse.index + lottieUse.length, 'missing_lottie_script', message, hint);
    else report.atAttribute(lottieAttr!.attrs.get('data-lottie-src')!, 'missing_lottie_script', message, hint);
  }
  if (threeUse && !threeImported && !sources.some(src => /three/i.test(src))) {
    const at = threeUse.script.offset + threeUse.index;
    report.atOffsets(at, at + threeUse.length, 'missing_three_script', 'Composition uses Three.js but no Three.js script is loaded. The 3D scene will not render.',
      'Add <script src="https://cdn.jsdelivr.net/npm/three@0.160/build/three.min.js"></script> before your Three.js code.');
  }
}

const SPLIT_ATTRIBUTE_SELECTOR = /\[data-composition-id=(["'])([^"'\]]+)\1\s+(data-[\w:-]+)=(["'])([^"'\]]*)\4\]/g;

/** `[data-composition-id="a" data-x="b"]`: two attributes in one attribute selector, which browsers reject. */
export function lintSplitAttributeSelectors(report: LintReporter, lint: LintFile): void {
  const texts: { text: string; offset: number }[] = [
    ...lint.scripts.map(script => ({ text: script.code, offset: script.offset })),
    ...lint.styles.map(style => ({ text: lint.file.text.slice(style.element.startTagEnd, style.element.endTagStart ?? style.element.end), offset: style.element.startTagEnd })),
  ];
  for (const { text, offset } of texts) {
    if (!text.includes('[data-composition-id=')) continue;
    for (const match of text.matchAll(SPLIT_ATTRIBUTE_SELECTOR)) {
      const start = offset + match.index;
      const fixed = `[data-composition-id=${match[1]}${match[2]}${match[1]}][${match[3]}=${match[4]}${match[5]}${match[4]}]`;
      report.atOffsets(start, start + match[0].length, 'split_data_attribute_selector',
        `Selector "${match[0]}" combines two attributes inside one CSS attribute selector. Browsers reject it, so GSAP timelines or querySelector calls fail before registering.`,
        `Write one attribute selector per attribute: ${fixed}.`,
        { selector: match[0], replace: { range: report.range(start, start + match[0].length), text: fixed } });
    }
  }
}
