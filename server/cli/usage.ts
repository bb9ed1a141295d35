// What the command line says about itself: each subcommand's usage (every flag with one line), the exit
// codes, and the one-line usage error that points at --help instead of repeating the whole usage.
import { DEFAULT_BATCH_CONCURRENCY } from '../engine/limits';
import { USAGE_EXIT_CODE } from './args';
import { DEFAULT_GIF_FPS, DEFAULT_GIF_LOOP, DEFAULT_HLS_SEGMENT_SECONDS, MAX_FPS, MAX_GIF_LOOP, MAX_RENDER_SCALE, MIN_FPS } from '../engine/limits';
import { RESOLUTION_ALIASES, RESOLUTION_PRESET_NAMES } from '../engine/render/resolution';

export const PROGRAM = 'hyperframes-live';

const EXIT_CODES = `exit codes:
  0    done (check: no errors)
  1    failed (check: errors found; render: the render failed or was blocked by errors)
  2    usage: a flag, value or entry that cannot be used (a missing entry file included)
  130  cancelled (Ctrl+C or SIGTERM)`;

const ENTRY = `<entry>: an .html composition, or a project folder (its hyperframes.json "entry", else index.html)`;

export const CHECK_USAGE = `usage: ${PROGRAM} check <entry> [options]
  Compiles and probes a composition and prints one line per diagnostic (path:line:col: severity code: message).
  Checking the project's index.html also lints every file under compositions/ it does not include.
  ${ENTRY}
options:
  --json            the diagnostics as one JSON array on stdout
  --no-probe        the static checks and lint rules only (no browser)
  --chromium PATH   the Chromium or chromium-headless-shell to probe with (else HYPERFRAMES_CHROMIUM, then the usual places)
  --timeout MS      give up probing after MS milliseconds
  -v, --verbose     log what the engine does on stderr
  -h, --help        this help
${EXIT_CODES}`;

export const RENDER_USAGE = `usage: ${PROGRAM} render <entry> [options]
  Renders a composition to a video (or PNG frames) in headless Chromium and ffmpeg.
  ${ENTRY}
options:
  -o, --output FILE     where to write (default: renders/<name>.<ext> beside the entry; for a project folder <name> is
                        hyperframes.json's "name", else the composition id)
  --format mp4|webm|mov|gif|hls|png   the container (default: from the output's extension, else mp4; webm with
                        --transparent): mov is ProRes 4444 with PCM audio (alpha with --transparent); gif a palette
                        GIF (see-through with --transparent); hls a folder of index.m3u8 + segment-NNN.ts (H.264/AAC);
                        png a folder of frames
  --quality draft|standard|high   encoder effort and bitrate (default: standard)
  --crf N               the encoder's constant rate factor instead of the quality's (mp4, hls 0-51; webm 0-63)
  --video-bitrate RATE  a target bitrate instead (800k, 5M; mp4, webm, hls); not with --crf
  --fps N|NUM/DEN       frames per second, ${MIN_FPS}-${MAX_FPS}: a whole number or a rational such as 30000/1001, 24000/1001,
                        60000/1001, kept exact (default: the composition's; ${DEFAULT_GIF_FPS} for gif)
  --scale N             capture at N× the composition's size (1-${MAX_RENDER_SCALE}): the page keeps its layout, text and
                        vectors are drawn at the output's resolution
  --resolution PRESET   the output size: ${RESOLUTION_PRESET_NAMES.slice(0, 3).join(', ')},
                        ${RESOLUTION_PRESET_NAMES.slice(3).join(', ')}, or the reference's names:
                        ${Object.keys(RESOLUTION_ALIASES).join(', ')}; a whole multiple of the
                        composition with its aspect ratio (not with --scale)
  --gif-loop N          gif: play N more times after the first (default ${DEFAULT_GIF_LOOP}: forever; up to ${MAX_GIF_LOOP})
  --hls-segment-seconds S   hls: seconds per segment, each starting on a keyframe (default ${DEFAULT_HLS_SEGMENT_SECONDS})
  --from SECONDS        render from this time on (default: 0)
  --to SECONDS          render up to this time, exclusive (default: the end)
  --workers N           capture in N browser pages in parallel
  --chunks N            cut the video into N chunks, each rendered by its own process, then joined without
                        re-encoding (mp4, webm, png; \`${PROGRAM} plan --help\`)
  --farm redis://HOST:PORT   render the chunks on the farm's workers (\`${PROGRAM} farm --help\`); --storage DIR
                        exchanges plans and chunks through a folder every machine mounts (default: Redis itself)
  --capture-every-frame capture each frame even when nothing on the page changed since the last (default: such a
                        static frame reuses the previous image)
  --video-frame-cache DIR
                        where extracted video frames are kept for later renders (default:
                        ~/.cache/hyperframes-live/video-frames)
  --video-frame-cache-mb N
                        its size limit in MiB, the least recently used go first (default: 2048; 0 keeps nothing)
  --transparent         keep the alpha channel: WebM (VP9 with alpha), MOV, GIF or RGBA PNGs, not MP4/HLS; the composition's own
                        html, body and root backgrounds must be transparent too
  --hdr                 HEVC 10-bit MP4 or MOV tagged BT.2020 PQ (a PQ source present) or HLG
  --sdr                 H.264 with HDR video clips tone-mapped to BT.709 (the default)
  --strict              treat warnings as errors: any one blocks the render
  --allow-errors        render even when the composition has errors
  --variables JSON      values for the composition's declared variables (data-composition-variables) over their
                        defaults, e.g. '{"title":"Hi"}': text, images, colours and what getVariables() answers,
                        never the size, fps or duration
  --variables-file FILE the same values from a JSON file
  --strict-variables    a value for an undeclared variable, or of the wrong type, fails the render (else: a warning)
  --batch FILE          one render per row of FILE, {"rows": [{"variables": {...}, "output": "a.mp4"}, ...]} or an
                        array of rows (a row without "variables" is the values itself); without "output" a row
                        writes --output with {index} and {variable} filled in, else the output with -<index>;
                        with --json, one document at the end lists each row's output or error
  --batch-concurrency N rows rendered at once (default: ${DEFAULT_BATCH_CONCURRENCY})
  --batch-fail-fast     stop at the first failing row (default: the other rows still render; exit 1 if one failed)
  --chromium PATH       the Chromium or chromium-headless-shell to capture with (else HYPERFRAMES_CHROMIUM)
  --ffmpeg PATH         the ffmpeg to encode with (else HYPERFRAMES_FFMPEG, the bundled one, PATH)
  --json                one JSON object per event (progress, result, error) on stdout
  --verbose             log what the engine does on stderr
  -h, --help            this help
${EXIT_CODES}`;

export const PLAN_USAGE = `usage: ${PROGRAM} plan <entry> -o <planDir> [--chunks N | --chunk-frames N] [render options]
  Compiles and probes once, mixes the audio once, and freezes into <planDir> the project's files (by sha256), the
  compiled page, the audio and a locked render config (size and scale, exact fps, range, frames, format, quality
  and rate control, variable values, chunks, closed GOPs of one chunk) with the Chromium, ffmpeg and runtime
  versions. A worker refuses a plan whose hash does not verify (plan-hash-mismatch) or whose Chromium/ffmpeg major
  versions differ from its own (tool-version-mismatch).
  The render options are render's (--format, --quality, --crf, --video-bitrate, --fps, --scale, --resolution,
  --from, --to, --variables, --workers, --transparent, --chromium, --ffmpeg); --hdr is refused (plan-invalid).
${EXIT_CODES}`;

export const FARM_USAGE = `usage: ${PROGRAM} farm worker --redis redis://HOST:PORT [--concurrency N] [--chromium PATH] [--ffmpeg PATH]
  Takes chunk jobs of \`render --farm\` from Redis (BullMQ) and renders each in its own process until Ctrl+C.
  A worker that dies hands its chunk to another; a failed chunk is retried with backoff.
  --concurrency N   chunks at the same time on this machine (default 1)
  --verbose         log what the worker does
exit codes: 0 stopped, 1 Redis unreachable or lost, 2 usage`;

export const MAIN_USAGE = `usage: ${PROGRAM} <command> [options]
commands:
  check <entry>    compile and probe a composition, print its diagnostics
  render <entry>   render a composition to MP4, WebM, MOV, GIF, HLS or PNG frames
  plan <entry>     freeze a render plan (the unit a chunk worker renders)
  farm worker      render chunks taken from Redis (a render farm)
  --version        print the version
  --help           this help; \`${PROGRAM} <command> --help\` for a command's options

${CHECK_USAGE}

${RENDER_USAGE}`;

/** Prints `hyperframes-live <command>: <message>` and where to find the usage; returns the usage exit code. */
export function reportUsageError(command: string | undefined, message: string): number {
  const prefix = command ? `${PROGRAM} ${command}` : PROGRAM;
  process.stderr.write(`${prefix}: ${message}\nRun \`${prefix} --help\` for usage.\n`);
  return USAGE_EXIT_CODE;
}
