// Every user-facing limit and tolerance the engine uses, in one place. Settings and CLI flags override
// the defaults; two stages that need the same tolerance read it from here.

/** A browser-resolved duration within this many seconds of the compiled one is the same value. */
export const MEDIA_DURATION_EPSILON_S = 0.05;

/** How long a probe waits for the page to load and its scripts to settle before calling it a hang. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** How long the capture stage waits for one seek to settle before failing the frame. */
export const DEFAULT_SEEK_TIMEOUT_MS = 10_000;

/** Browser launch timeout. */
export const DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS = 20_000;

/** Debounce of as-you-type compiles in the language server. */
export const DEFAULT_COMPILE_DEBOUNCE_MS = 150;

/** Largest composition file the compile stage reads (bytes): bigger files get one clear diagnostic. */
export const MAX_COMPOSITION_FILE_BYTES = 20 * 1024 * 1024;

/** Deepest sub-composition nesting compile follows before reporting a cycle. */
export const MAX_SUB_COMPOSITION_DEPTH = 16;

/** ffprobe timeout per media file. */
export const DEFAULT_FFPROBE_TIMEOUT_MS = 10_000;
