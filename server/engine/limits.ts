// Every user-facing limit and tolerance the engine uses, in one place. Settings and CLI flags override
// the defaults; two stages that need the same tolerance read it from here.

/** A browser-resolved duration within this many seconds of the compiled one is the same value. */
export const MEDIA_DURATION_EPSILON_S = 0.05;

/** How long a probe waits for the page to load and its scripts to settle before calling it a hang. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/**
 * How long the runtime waits for the promise a page-provided `window.__hf.seek(t)` returns before reporting
 * `hf-protocol-seek-timeout` (below the probe and seek timeouts, so the page's problem is what is reported).
 */
export const HF_PROTOCOL_SEEK_TIMEOUT_MS = 3_000;

/** How long the capture stage waits for one seek to settle before failing the frame. */
export const DEFAULT_SEEK_TIMEOUT_MS = 10_000;

/** Browser launch timeout. */
export const DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS = 20_000;

/**
 * How long the capture and the preview bridge wait for the in-page runtime's script to have run once the page
 * loaded (runtime/ready.ts) before reporting that it did not start. The probe does not wait: at
 * DOMContentLoaded the runtime's <head> script has run or failed.
 */
export const RUNTIME_START_TIMEOUT_MS = 20_000;

/** Debounce of as-you-type compiles in the language server. */
export const DEFAULT_COMPILE_DEBOUNCE_MS = 150;

/** Batches file-watcher events (a branch switch changes many files at once) before re-checking what uses them. */
export const WATCHED_FILES_DEBOUNCE_MS = 200;

/** Largest composition file the compile stage reads (bytes): bigger files get one clear diagnostic. */
export const MAX_COMPOSITION_FILE_BYTES = 20 * 1024 * 1024;

/** Deepest sub-composition nesting compile follows before reporting a cycle. */
export const MAX_SUB_COMPOSITION_DEPTH = 16;

/** ffprobe timeout per media file. */
export const DEFAULT_FFPROBE_TIMEOUT_MS = 10_000;

/** JPEG quality of captured frames for opaque output (the reference renderers' default; q80 is visually lossless after x264). */
export const JPEG_CAPTURE_QUALITY = 80;

/** Lines of ffmpeg's stderr kept and shown in the error when it fails. */
export const FFMPEG_STDERR_TAIL_LINES = 12;

/** ffprobe processes the compile stage runs at once (a composition may hold dozens of media files). */
export const MAX_PARALLEL_MEDIA_PROBES = 4;

/** Two resolved times closer than this (seconds) are equal: clip ends against the root's duration. */
export const TIME_EPSILON_S = 1e-6;

/** Size the compile stage assumes when the root omits data-width/data-height (after reporting it). */
export const DEFAULT_COMPOSITION_WIDTH = 1920;
export const DEFAULT_COMPOSITION_HEIGHT = 1080;

/**
 * A source video frame whose timestamp is within this many seconds after the asked time is on screen then.
 * Containers store timestamps rounded to their time base: WebM's is 1 ms, so the third frame of a 30 fps clip
 * sits at 0.067 s, after its own time 2/30 s. With 0.1 ms, every third frame of a 30 fps WebM was shown
 * twice and the next one never (0 1 1 3 4 4 …, where the reference shows 0 1 2 3 4 5 …).
 */
export const VIDEO_FRAME_TIME_EPSILON_S = 1e-3;

/**
 * How much further than the needed time a video source's frame list is read (capture/sourceFrames.ts).
 * ffprobe stops at the first packet, in decode order, that starts at or after the end; frames shown before
 * it but stored after it (B-frames) would be missed. A second covers any reordering an encoder does.
 */
export const SOURCE_FRAME_LIST_REORDER_MARGIN_S = 1;

/** How far (in frames) one capture worker may run ahead of the encoder's next frame. */
export const CAPTURE_REORDER_WINDOW_FRAMES = 8;

/** Progress events during capture: at most this often (ms)… and a heartbeat at least this often. */
export const PROGRESS_MIN_INTERVAL_MS = 250;
export const PROGRESS_HEARTBEAT_MS = 1000;

/** Sample rate of the mixed audio track. */
export const AUDIO_SAMPLE_RATE = 48_000;

/** Capture browsers by default: two BeginFrame workers beat one on 2 cores (performance.md §2.2, g2 vs f2). */
export const DEFAULT_CAPTURE_WORKERS = 2;

/** Below this many frames a second capture browser costs more to launch than it saves. */
export const MIN_FRAMES_PER_EXTRA_WORKER = 45;

/**
 * The capture browsers together stay within this memory (and half of what is free), estimated per browser
 * from the page's size and video clips (capture/workerCount.ts); --workers overrides it. At most
 * MAX_CAPTURE_WORKERS browsers whatever the machine.
 */
export const CAPTURE_MEMORY_BUDGET_BYTES = 1024 ** 3;
export const MAX_CAPTURE_WORKERS = 8;

/** After a cancel, a render worker that has not cleaned up and exited in this time is killed with its tree. */
export const WORKER_CANCEL_GRACE_MS = 5_000;

/**
 * After SIGKILLing what a dead render worker left running, how long to wait for those processes to be gone
 * before removing their folders (a dying browser may still be writing its profile).
 */
export const LEFTOVER_EXIT_WAIT_MS = 2_000;

/** A composition file longer than this (each <style> counted as one line) is worth splitting (the reference's composition_file_too_large). */
export const MAX_COMPOSITION_LINES = 300;

/** page.close() normally takes milliseconds; past this the page counts as stuck and its browser is recycled. */
export const PAGE_CLOSE_GRACE_MS = 1_000;

/**
 * The on-disk cache of extracted video frames (capture/videoFrameCache.ts): its folder under the user's cache
 * folder, and its size limit (least recently used entries go first). A render's `videoFrameCacheDir` and
 * `videoFrameCacheBytes` override them; 0 bytes keeps nothing between renders.
 */
export const VIDEO_FRAME_CACHE_FOLDER = 'hyperframes-live/video-frames';
export const DEFAULT_VIDEO_FRAME_CACHE_BYTES = 2 * 1024 ** 3;

/** How often capture looks again for a video frame the extraction has not written yet (it runs ahead of capture). */
export const VIDEO_FRAME_WAIT_POLL_MS = 5;

/** A clip may end this far past its composition's (or host's) end before it counts as overrunning it: browser durations are floats. */
export const CLIP_END_TOLERANCE_S = 1e-3;

/** Frame count: round(d·fps) when d·fps is within this of an integer, else ceil (the reference's rule). */
export const FRAME_COUNT_EPSILON = 1e-3;

/**
 * Rows of `render --batch` rendered at once when --batch-concurrency is not given: one, because each render
 * already captures with several browsers; more only pays on a machine with cores and memory to spare.
 */
export const DEFAULT_BATCH_CONCURRENCY = 1;

/** Bounds of hyperframesLive.probeTimeoutMs (the manifest's minimum/maximum): one parser applies them for client and server. */
export const PROBE_TIMEOUT_BOUNDS_MS = { min: 1_000, max: 60_000 } as const;

/** A render plan (plan/) freezes the whole project folder; past this many bytes it is refused (plan-too-large). */
export const PLAN_MAX_BYTES = 4 * 1024 ** 3;
/** Top-level project folders a plan leaves out: earlier renders are outputs, not inputs. */
export const PLAN_EXCLUDED_FOLDERS: readonly string[] = ['renders'];
/** The most chunks one render is cut into (`render --chunks N`). */
export const MAX_CHUNKS = 256;
/** Chunks of one `render --chunks N` rendered at the same time on this machine (each its own worker process). */
export const MAX_PARALLEL_LOCAL_CHUNKS = 4;
/**
 * The encoder threads of every plan-locked GOP encode (encode/gopSegments.ts). x264's and libvpx's output
 * depends on their thread count, which by default follows the CPUs (libvpx on 1 CPU against 2: 46.9 dB), so
 * every machine of a farm encodes a chunk with this many, whatever its cores, and writes the same packets.
 */
export const PLAN_ENCODER_THREADS = 4;

/**
 * The render farm (server/farm/). A worker holds a chunk's lock for FARM_LOCK_DURATION_MS and renews it
 * while it renders; a worker that dies stops renewing, and another worker's stalled check (every
 * FARM_STALLED_INTERVAL_MS) hands the chunk on, at most FARM_MAX_STALLED_COUNT times. A chunk that fails is
 * tried FARM_CHUNK_ATTEMPTS times in all, FARM_RETRY_BACKOFF_MS apart at first, doubling.
 */
export const FARM_LOCK_DURATION_MS = 8_000;
export const FARM_STALLED_INTERVAL_MS = 4_000;
export const FARM_MAX_STALLED_COUNT = 2;
export const FARM_CHUNK_ATTEMPTS = 3;
export const FARM_RETRY_BACKOFF_MS = 1_000;
/** The Redis storage keeps plans and chunk segments up to this size each; larger ones need a shared folder (--storage). */
export const FARM_REDIS_STORAGE_MAX_BYTES = 64 * 1024 ** 2;
/** How long a Redis server may take to answer before it counts as unreachable (a clear error, never a hang). */
export const FARM_REDIS_TIMEOUT_MS = 5_000;
/** How often the submitting side reads the chunks' progress, and a worker looks for a cancel. */
export const FARM_POLL_MS = 250;
/** Plans a farm worker keeps laid out on disk for further chunks of the same video (the oldest unused go first). */
export const FARM_WORKER_CACHED_PLANS = 4;
/**
 * A farm render's submitter (`render --farm`, the editor's render worker) keeps a liveness key in Redis that
 * lapses this long after its last refresh (it refreshes it every FARM_POLL_MS). A render whose key has lapsed
 * is abandoned: the workers stop its chunks and remove its jobs and stored objects (farm/abandoned.ts). Longer
 * than FARM_REDIS_TIMEOUT_MS, so a submitter waiting on a slow Redis gives up before the farm gives up on it,
 * and than any GC pause.
 */
export const FARM_SUBMITTER_TTL_MS = FARM_REDIS_TIMEOUT_MS + 4 * FARM_POLL_MS;
/** How often a farm worker looks for abandoned renders that have no chunk left to run (a submitter lost while assembling). */
export const FARM_ABANDONED_SWEEP_MS = 1_000;
/**
 * Locks in Redis around removals: a render registering for a plan and a process removing that plan's objects
 * take turns, so a plan is never removed under a render just starting with it; one worker at a time sweeps an
 * abandoned render. A holder that dies frees its lock after this.
 */
export const FARM_REMOVAL_LOCK_MS = 30_000;

/** Frame rates a render accepts (`--fps`, frameRate.ts): whole numbers or rationals between these. */
export const MIN_FPS = 1;
export const MAX_FPS = 240;

/** A GIF's frame rate when none is asked: GIF players step in 1/100 s, and 15 fps keeps files small. */
export const DEFAULT_GIF_FPS = 15;
/** A GIF's NETSCAPE2.0 loop count when none is asked (0 = forever), and the largest the field holds. */
export const DEFAULT_GIF_LOOP = 0;
export const MAX_GIF_LOOP = 65_535;

/** Seconds per HLS segment when `--hls-segment-seconds` is not given (Apple's authoring guide says 6), and its bounds. */
export const DEFAULT_HLS_SEGMENT_SECONDS = 6;
export const HLS_SEGMENT_SECONDS_BOUNDS = { min: 1, max: 60 } as const;

/** Device scale factors a render captures at (`--scale`, `--resolution`): the page keeps its CSS size. */
export const MAX_RENDER_SCALE = 4;

/** `--crf` bounds: x264/x265 take 0–51, VP9 0–63. */
export const H26X_CRF_BOUNDS = { min: 0, max: 51 } as const;
export const VP9_CRF_BOUNDS = { min: 0, max: 63 } as const;
/** `--video-bitrate` bounds in bits per second (10 kbit/s – 1 Gbit/s). */
export const VIDEO_BITRATE_BOUNDS = { min: 10_000, max: 1_000_000_000 } as const;


/**
 * Video frames reach the capture page by URL, decoded one frame ahead (capture/videoFrameUrls.ts), instead of
 * as data URLs (about a third of a video page's paint time). It was off while, under CPU load, a capture
 * browser now and then drew none of its video images for a stretch of frames; since the ticks that drive a
 * loading page stopped asking for display updates (capture/browserSession.ts load()), the stress, timing and
 * cache video tests passed 10 runs of 10 with two busy cores beside them. False returns to data URLs.
 */
export const SERVE_VIDEO_FRAMES_BY_URL = true;
/**
 * How long a BeginFrame capture waits for the renderer's frame after a change (capture/browserSession.ts
 * drawUntilDamaged): under CPU load it arrives one or several BeginFrames late.
 */
export const LATE_FRAME_TIMEOUT_MS = 10_000;
/**
 * How many times one capture browser whose compositor stopped drawing (capture/browserSession.ts
 * CompositorStalledError) is replaced by a fresh one in a render, its frame captured again, before the
 * render fails. A stall was seen about once in six CI runs; twice in one browser means something else.
 */
export const CAPTURE_BROWSER_RESTARTS_MAX = 2;
/** The longest real-time pause between two BeginFrames while waiting for a late frame (the pauses double from 1 ms). */
export const LATE_FRAME_RETRY_MAX_PAUSE_MS = 50;

/**
 * V8's compiled code of the CLI's and the render worker's bundles (server/bundleLoader.ts), under the user's
 * cache folder: a few MB, one file per bundle, replaced when the bundle or Node changes. Setting
 * HYPERFRAMES_LIVE_CODE_CACHE=0 compiles every time (nothing read, nothing written).
 */
export const CODE_CACHE_FOLDER = 'hyperframes-live/code-cache';
export const CODE_CACHE_OFF_ENV = 'HYPERFRAMES_LIVE_CODE_CACHE';
