// The compile stage's working records: what the document walk finds, before timing is resolved and the
// public `Composition` is assembled. One `Region` is one stretch of source text that ends up in the
// compiled page (the entry file, or one inclusion of a sub-composition's <template>).
import type { ClipKind, Clip, MediaElement } from '../model';
import type { SourceAttribute, SourceElement, SourceFile } from './parseHtml';

/** A piece of the compiled page: verbatim text from `file` starting on `sourceLine`, or inserted text (no line breaks). */
export interface Chunk {
  text: string;
  file: string;
  sourceLine: number;
}

export interface Edit {
  /** Source offset in the region's file where the edit applies. */
  offset: number;
  /** Source text [offset, deleteEnd) is dropped (deleteEnd === offset for a pure insertion). */
  deleteEnd: number;
  /** Produced lazily at emit time: hoisted scripts are only all known once the regions before are emitted. */
  insert?: () => Chunk[];
}

export interface Region {
  file: SourceFile;
  start: number;
  end: number;
  edits: Edit[];
}

export interface Scope {
  compositionId: string | undefined;
  /** The element that carries data-composition-id for this scope (undefined for a root-less entry). */
  element: SourceElement | undefined;
  file: SourceFile;
  region: Region;
  /** The clip hosting this scope; undefined for the root composition. */
  host: ClipDraft | undefined;
  depth: number;
  /** Files from the entry down to this scope's file: a data-composition-src already in it is a cycle. */
  ancestry: string[];
  clips: ClipDraft[];
  scripts: SourceElement[];
}

/** A media element as the walk finds it: the public fields, plus where its src is written and whether the file exists. */
export interface MediaDraft
  extends Pick<MediaElement, 'kind' | 'src' | 'localPath' | 'mediaStart' | 'playbackRate' | 'volume' | 'loop' | 'muted' | 'sourceDuration' | 'sourceHasAudio'> {
  srcAttr: SourceAttribute | undefined;
  /** The local file exists inside the project (so ffprobe may read it). */
  exists: boolean;
}

export interface SubCompositionDraft {
  src: string;
  srcAttr: SourceAttribute;
  /** Resolved path when it stays inside the project. */
  path: string | undefined;
  /** data-composition-id of the sub-composition's own root element, once read. */
  innerCompositionId: string | undefined;
  /** The sub-composition's own root data-duration (used when the host has none). */
  innerDuration: number | undefined;
}

export interface ClipDraft {
  id: string;
  autoId: boolean;
  kind: ClipKind;
  element: SourceElement;
  scope: Scope;
  authoredDuration: number | undefined;
  trackIndex: number;
  hasClipClass: boolean;
  media: MediaDraft | undefined;
  subComposition: SubCompositionDraft | undefined;
  // Filled by timing resolution:
  startExpression: Clip['startExpression'];
  localStart: number;
  duration: number | undefined;
  durationSource: Clip['durationSource'];
  /** Inject data-duration into the compiled page (the value was not written by the author). */
  injectDuration: boolean;
}
