// Quick fixes for the reference's lint rules whose fix is mechanical. Each one leaves a document the rule
// passes. Findings on a missing attribute sit on the element's tag name, so the attribute goes in right
// after it (diagnostic.range.end); findings on an attribute to remove cover the whole attribute.
import path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { CodeActionContext } from './codeActions';

function dataOf(diagnostic: Diagnostic): Record<string, unknown> {
  const data: unknown = diagnostic.data;
  return typeof data === 'object' && data !== null ? data as Record<string, unknown> : {};
}

function fix(ctx: CodeActionContext, diagnostic: Diagnostic, title: string, edits: TextEdit[], preferred = true): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [ctx.document.uri]: edits } } };
}

function insertAfterTagName(ctx: CodeActionContext, diagnostic: Diagnostic, title: string, attribute: string, preferred = true): CodeAction {
  const at = diagnostic.range.end;
  return fix(ctx, diagnostic, title, [{ range: { start: at, end: at }, newText: ` ${attribute}` }], preferred);
}

/** The attribute's range widened over the whitespace before it, so no double space is left. */
function removeAttribute(ctx: CodeActionContext, diagnostic: Diagnostic, title: string): CodeAction {
  const { document } = ctx;
  const text = document.getText();
  let start = document.offsetAt(diagnostic.range.start);
  while (start > 0 && /[ \t]/.test(text[start - 1])) start--;
  const range: Range = { start: document.positionAt(start), end: diagnostic.range.end };
  return fix(ctx, diagnostic, title, [{ range, newText: '' }]);
}

/** An id no element of the document has yet: `<tag>-1`, `<tag>-2`, … */
function freshId(text: string, base: string): string {
  const taken = new Set([...text.matchAll(/\bid\s*=\s*["']?([^"'\s>]+)/g)].map(match => match[1]));
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function addId(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction {
  const tag = ctx.document.getText(diagnostic.range).toLowerCase() || 'element';
  const id = freshId(ctx.document.getText(), tag);
  return insertAfterTagName(ctx, diagnostic, `Add id="${id}"`, `id="${id}"`);
}

function addClipClass(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction {
  const written = ctx.document.getText(diagnostic.range);
  if (/^[a-z][\w-]*$/i.test(written) && ctx.document.getText({ start: { line: diagnostic.range.start.line, character: Math.max(0, diagnostic.range.start.character - 1) }, end: diagnostic.range.start }) === '<') {
    return insertAfterTagName(ctx, diagnostic, 'Add class="clip"', 'class="clip"');
  }
  // On the class attribute's value: append the class.
  const at = diagnostic.range.end;
  return fix(ctx, diagnostic, 'Add "clip" to the class attribute', [{ range: { start: at, end: at }, newText: written.trim() ? ' clip' : 'clip' }]);
}

function addHostCompositionId(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const src = dataOf(diagnostic).src;
  if (typeof src !== 'string') return undefined;
  const inner = ctx.composition?.subCompositions.find(sub => sub.src === src)?.innerCompositionId;
  const id = inner ?? path.basename(src).replace(/\.html?$/i, '');
  return insertAfterTagName(ctx, diagnostic, `Add data-composition-id="${id}"`, `data-composition-id="${id}"`);
}

function isRange(value: unknown): value is Range {
  const range = value as Range | undefined;
  return typeof range?.start?.line === 'number' && typeof range.end?.character === 'number';
}

function moveTransformToGsap(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const move = dataOf(diagnostic).fix as { remove?: unknown; insert?: unknown; text?: unknown } | undefined;
  if (!move || !isRange(move.remove) || !isRange(move.insert) || typeof move.text !== 'string') return undefined;
  return fix(ctx, diagnostic, 'Move the transform from CSS to gsap.set() before the timeline', [
    { range: move.remove, newText: '' },
    { range: move.insert, newText: move.text },
  ]);
}

/** A fix the rule computed (data.replace: one range and its new text). */
function replaceFix(ctx: CodeActionContext, diagnostic: Diagnostic, title: string): CodeAction | undefined {
  const replace = dataOf(diagnostic).replace as { range?: unknown; text?: unknown } | undefined;
  if (!replace || !isRange(replace.range) || typeof replace.text !== 'string') return undefined;
  return fix(ctx, diagnostic, title, [{ range: replace.range, newText: replace.text }]);
}

/** A fix of several edits the rule computed (data.edits: ranges and their new text). */
function editsFix(ctx: CodeActionContext, diagnostic: Diagnostic, title: string): CodeAction | undefined {
  const edits = dataOf(diagnostic).edits;
  if (!Array.isArray(edits) || edits.length === 0) return undefined;
  const valid = edits.filter((edit): edit is { range: Range; text: string } => isRange((edit as { range?: unknown }).range) && typeof (edit as { text?: unknown }).text === 'string');
  return valid.length === edits.length ? fix(ctx, diagnostic, title, valid.map(edit => ({ range: edit.range, newText: edit.text }))) : undefined;
}

export function lintQuickFixes(ctx: CodeActionContext, diagnostic: Diagnostic): (CodeAction | undefined)[] {
  switch (diagnostic.code) {
    case 'video_missing_muted':
      return [
        insertAfterTagName(ctx, diagnostic, 'Add `muted` (silent footage)', 'muted'),
        insertAfterTagName(ctx, diagnostic, 'Add data-has-audio="true" (its sound should be heard)', 'data-has-audio="true"', false),
      ];
    case 'video_muted_with_declared_audio':
      return [removeAttribute(ctx, diagnostic, 'Remove `muted` (the video declares its audio)')];
    case 'media_missing_id':
    case 'studio_missing_editable_id':
      return [addId(ctx, diagnostic)];
    case 'timed_element_missing_clip_class':
      return [addClipClass(ctx, diagnostic)];
    case 'host_missing_composition_id':
      return [addHostCompositionId(ctx, diagnostic)];
    case 'missing_timeline_registry':
      // On the root when no script builds a timeline: a composition without one says so.
      return /gsap\s*\.\s*timeline\s*\(/.test(ctx.document.getText()) ? [] : [insertAfterTagName(ctx, diagnostic, 'Add data-no-timeline (this composition has no timeline)', 'data-no-timeline', false)];
    case 'missing_data_no_timeline':
      return [insertAfterTagName(ctx, diagnostic, 'Add data-no-timeline (this composition has no timeline)', 'data-no-timeline')];
    case 'media_crossorigin_breaks_preview':
      return [removeAttribute(ctx, diagnostic, 'Remove the crossorigin attribute')];
    case 'media_preload_none':
      return [removeAttribute(ctx, diagnostic, 'Remove preload="none"')];
    case 'gsap_css_transform_conflict':
      return [moveTransformToGsap(ctx, diagnostic)];
    case 'gsap_timeline_set_initial_hide':
      return [replaceFix(ctx, diagnostic, 'Set the initial state with gsap.set() (applied at once, before frame 0)')];
    case 'self_closing_media_tag':
      return [replaceFix(ctx, diagnostic, 'Close the media element with an explicit end tag')];
    case 'deprecated_data_layer':
      return [replaceFix(ctx, diagnostic, 'Rename data-layer to data-track-index')];
    case 'deprecated_data_end':
      return [replaceFix(ctx, diagnostic, 'Replace data-end with data-duration')];
    case 'split_data_attribute_selector':
      return [replaceFix(ctx, diagnostic, 'Write one attribute selector per attribute')];
    case 'subcomposition_blanks_before_host':
      return [replaceFix(ctx, diagnostic, 'Extend the sub-composition to the end of the composition')];
    case 'root_composition_duration_derived': {
      const seconds = dataOf(diagnostic).duration;
      return typeof seconds === 'number' ? [insertAfterTagName(ctx, diagnostic, `Add data-duration="${seconds}" (the length its clips give)`, `data-duration="${seconds}"`)] : [];
    }
    case 'invalid_inline_script_syntax':
      return [replaceFix(ctx, diagnostic, 'Close the script with </script>')];
    case 'gsap_repeat_floor_unclamped':
      return [replaceFix(ctx, diagnostic, 'Clamp the repeat count at zero with Math.max(0, …)')];
    case 'gsap_cold_seek_hidden_fromto_missing_reveal':
      return [replaceFix(ctx, diagnostic, 'Add the visible end state (opacity: 1) to the destination vars')];
    case 'gsap_fullscreen_overlay_starts_visible':
      return [replaceFix(ctx, diagnostic, 'Author the overlay hidden (opacity: 0) until its reveal')];
    case 'shader_unbounded_cosine_pow':
      return [replaceFix(ctx, diagnostic, 'Bound the cosine with clamp(…, 0.0, 1.0)')];
    case 'gsap_repeated_fromto_without_baseline':
      return [editsFix(ctx, diagnostic, 'Add immediateRender: false to every fromTo but the earliest')];
    case 'media_missing_data_start':
      return [insertAfterTagName(ctx, diagnostic, 'Add data-start="0"', 'data-start="0"')];
    case 'root_dimensions_mismatch':
      return [editsFix(ctx, diagnostic, 'Set the html/body CSS and viewport meta to the root\'s size')];
    case 'audio_group_timing_attrs':
      return [editsFix(ctx, diagnostic, 'Remove the timing attributes from the audio group')];
    case 'unclosed_tag_swallowed_element':
      return [replaceFix(ctx, diagnostic, 'Close the previous tag with ">"')];
    case 'repeated_id_descendant_selector':
      return [replaceFix(ctx, diagnostic, 'Remove the duplicate id ancestor')];
    case 'id_override_reduced_specificity':
      return [replaceFix(ctx, diagnostic, 'Use an #id selector')];
    case 'texture_class_missing_base':
      return [replaceFix(ctx, diagnostic, 'Add the hf-texture-text class')];
    case 'caption_overflow_clips_scaled_words':
      return [replaceFix(ctx, diagnostic, 'Use overflow: visible')];
    case 'caption_fittext_scale_mismatch':
      return [replaceFix(ctx, diagnostic, 'Reduce maxWidth to leave room for the scaled words')];
    case 'linked_clip_orphan':
      return [removeAttribute(ctx, diagnostic, 'Remove data-link (unlink the clip)')];
    case 'audio_group_carve_attr':
      return [removeAttribute(ctx, diagnostic, 'Remove data-fx-carve from the audio group')];
    default:
      return [];
  }
}
