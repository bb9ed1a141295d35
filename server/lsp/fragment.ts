// A sub-composition file (markup wrapped in <template>) opened with no known composition including it is checked
// on its own, as a fragment: its <template> tags are blanked out (same length, so every position stays put) so
// the compile stage sees the composition inside. It is not probed: its scripts expect the host page (GSAP, the
// other compositions), so the browser would only report what the host provides.
import type { EngineDiagnostic } from '../engine/model';

const STARTS_WITH_TEMPLATE = /^\s*(?:<!--[\s\S]*?-->\s*)*<template[\s>]/i;

export function isTemplateFragment(text: string): boolean {
  return STARTS_WITH_TEMPLATE.test(text);
}

export function unwrapTemplate(text: string): string {
  return text.replace(/<\/?template\b[^>]*>/gi, tag => tag.replace(/[^\n]/g, ' '));
}

/** Checks about the page as a whole that the including composition answers, not the fragment (its size, length, the libraries it loads). */
const HOST_CONCERNS = new Set<EngineDiagnostic['code']>(['root_missing_dimensions', 'root_composition_missing_duration_source', 'missing_gsap_script', 'missing_lottie_script', 'missing_three_script']);

export function fragmentDiagnostics(diagnostics: readonly EngineDiagnostic[]): EngineDiagnostic[] {
  return diagnostics.filter(d => !HOST_CONCERNS.has(d.code));
}
