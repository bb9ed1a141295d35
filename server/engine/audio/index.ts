// The audio stage: every audible clip (<audio>, and <video> that is not muted and has an audio stream)
// mixed at its start offset, from its data-media-start, at its data-volume, cut to its slot and to the
// composition's end, then padded with silence to exactly the video's length (so the mux needs no
// -shortest, which cuts the longer stream wherever its packets happen to end). AAC for MP4, Opus for WebM.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Clip, Composition, MediaElement } from '../model';
import { StageError } from '../errors';
import type { Logger } from '../logger';
import { runFfmpeg } from '../encode/ffmpegProcess';
import { AUDIO_SAMPLE_RATE } from '../limits';

const execFileAsync = promisify(execFile);

export type AudioCodec = 'aac' | 'opus' | 'pcm';

/** Each codec's encoder and the file the mixed track is written to. */
const AUDIO_ENCODERS: Record<AudioCodec, { args: string[]; file: string }> = {
  aac: { args: ['-c:a', 'aac', '-b:a', '192k'], file: 'audio.m4a' },
  opus: { args: ['-c:a', 'libopus', '-b:a', '128k'], file: 'audio.mka' },
  pcm: { args: ['-c:a', 'pcm_s24le'], file: 'audio.wav' },
};

export interface AudioStageInput {
  composition: Composition;
  /**
   * Composition time the rendered video starts at (a range render's first frame); default 0. Clips are
   * shifted by −from and cut to the window [from, from + duration).
   */
  from?: number;
  /** The rendered video's length in seconds (frames / fps): the audio is made exactly this long. */
  duration: number;
  /** pcm: 24-bit little-endian PCM (MOV, for editing). */
  codec: AudioCodec;
  ffmpegPath: string;
  ffprobePath: string;
  /** Folder for the mixed track (a private temporary folder the caller removes). */
  workDir: string;
  logger: Logger;
  signal?: AbortSignal;
}

export interface AudioResult {
  /** The mixed track, or undefined when nothing is audible (the output then has no audio stream). */
  file: string | undefined;
  clips: number;
}

/** One audible clip's place in the mix. */
export interface AudioSlot {
  file: string;
  /** Seconds into the rendered output (composition time − from). */
  start: number;
  /** Seconds of the slot inside the composition. */
  length: number;
  mediaStart: number;
  /** Source seconds per output second (data-playback-rate); the slot reads length × rate of the source. */
  playbackRate: number;
  volume: number;
  loop: boolean;
  /** Channels of the source's audio stream (0: unknown; ffmpeg's own conversion to stereo is used). */
  channels: number;
}

/** Channels of the first audio stream (0 when there is none or it cannot be read). */
async function audioChannels(ffprobePath: string, file: string, signal?: AbortSignal): Promise<number> {
  try {
    const { stdout } = await execFileAsync(ffprobePath, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=channels', '-of', 'csv=p=0', file], { signal });
    const channels = Number.parseInt(stdout.trim(), 10);
    return Number.isFinite(channels) && channels > 0 ? channels : 0;
  } catch {
    return 0;
  }
}

/** The audible clips and their slots, in composition order. Missing files are a StageError. */
export async function planAudio(input: Pick<AudioStageInput, 'composition' | 'from' | 'duration' | 'ffprobePath' | 'signal'>): Promise<AudioSlot[]> {
  const { composition } = input;
  const windowStart = input.from ?? 0;
  const windowEnd = windowStart + input.duration;
  const clipsById = new Map<string, Clip>(composition.clips.map(clip => [clip.id, clip]));
  const slots: AudioSlot[] = [];
  for (const media of composition.media) {
    if (!isAudible(media)) continue;
    const clip = clipsById.get(media.clipId);
    if (!clip || clip.start >= windowEnd) continue;
    const slotEnd = Math.min(clip.end ?? Number.POSITIVE_INFINITY, windowEnd);
    if (slotEnd <= windowStart) continue;
    if (!media.localPath || !fs.existsSync(media.localPath)) {
      throw new StageError('audio', `${media.kind === 'audio' ? 'Audio' : 'Video'} "${media.src}" (clip "${media.clipId}") was not found${media.localPath ? ` at ${media.localPath}` : ' (remote media is not rendered)'}.`, 'missing-media');
    }
    if (media.kind === 'video' && media.sourceHasAudio === false) continue;
    const channels = await audioChannels(input.ffprobePath, media.localPath, input.signal);
    if (media.kind === 'video' && channels === 0) continue;
    // A clip that began before the window is heard from where the window cuts in.
    const slotStart = Math.max(clip.start, windowStart);
    const mediaStart = media.mediaStart + (slotStart - clip.start) * media.playbackRate;
    const sourceLeft = media.sourceDuration !== undefined && !media.loop ? (media.sourceDuration - mediaStart) / media.playbackRate : Number.POSITIVE_INFINITY;
    const length = Math.min(slotEnd - slotStart, sourceLeft);
    if (!(length > 0) || !Number.isFinite(length)) continue;
    slots.push({ file: media.localPath, start: slotStart - windowStart, length, mediaStart, playbackRate: media.playbackRate, volume: media.volume, loop: media.loop, channels });
  }
  return slots;
}

function isAudible(media: MediaElement): boolean {
  if (media.kind === 'img' || media.muted || media.volume <= 0) return false;
  return media.kind === 'audio' || media.kind === 'video';
}

/**
 * A mono source is heard at its own level in both channels. ffmpeg's default mono → stereo rematrix puts
 * the centre channel into left and right at −3 dB (a pan law meant for surround downmixes), which made a
 * mono WAV 3 dB quieter than its source; the reference keeps the level the same way.
 */
const MONO_TO_STEREO = 'pan=stereo|c0=c0|c1=c0';

/** atempo takes 0.5–2 per instance; a rate outside is a product of stages (the reference's way too). */
const ATEMPO_MIN = 0.5;
const ATEMPO_MAX = 2;

/** The atempo chain (with a trailing comma) that plays a source at `rate` with its pitch kept; '' at 1. */
export function tempoFilters(rate: number): string {
  const stages: number[] = [];
  let remaining = rate;
  while (remaining > ATEMPO_MAX) { stages.push(ATEMPO_MAX); remaining /= ATEMPO_MAX; }
  while (remaining < ATEMPO_MIN) { stages.push(ATEMPO_MIN); remaining /= ATEMPO_MIN; }
  if (Math.abs(remaining - 1) > 1e-9) stages.push(remaining);
  return stages.map(stage => `atempo=${stage.toFixed(6)},`).join('');
}

/** ffmpeg arguments that mix `slots` into one track of exactly `duration` seconds. */
export function audioMixArgs(slots: AudioSlot[], duration: number, codec: AudioCodec, outputFile: string): string[] {
  const inputs: string[] = [];
  const chains: string[] = [];
  slots.forEach((slot, k) => {
    if (slot.loop) inputs.push('-stream_loop', '-1');
    inputs.push('-i', slot.file);
    // Delay in samples, not milliseconds, so the onset lands on the exact sample of the clip's start.
    const delaySamples = Math.round(slot.start * AUDIO_SAMPLE_RATE);
    chains.push(
      `[${k}:a:0]atrim=start=${slot.mediaStart.toFixed(6)}:end=${(slot.mediaStart + slot.length * slot.playbackRate).toFixed(6)},asetpts=PTS-STARTPTS,` +
      `${tempoFilters(slot.playbackRate)}aresample=${AUDIO_SAMPLE_RATE},${slot.channels === 1 ? `${MONO_TO_STEREO},` : ''}aformat=sample_fmts=fltp:channel_layouts=stereo,volume=${slot.volume.toFixed(4)},` +
      `adelay=delays=${delaySamples}S:all=1[a${k}]`,
    );
  });
  const labels = slots.map((_, k) => `[a${k}]`).join('');
  const mixed = slots.length > 1
    ? `${labels}amix=inputs=${slots.length}:duration=longest:dropout_transition=0:normalize=0,`
    : `${labels}`;
  const totalSamples = Math.round(duration * AUDIO_SAMPLE_RATE);
  const graph = `${chains.join(';')};${mixed}${slots.length > 1 ? '' : 'anull,'}apad=whole_len=${totalSamples},atrim=end_sample=${totalSamples}[mix]`;
  return [...inputs, '-filter_complex', graph, '-map', '[mix]', ...AUDIO_ENCODERS[codec].args, '-ar', String(AUDIO_SAMPLE_RATE), '-y', outputFile];
}

export async function runAudioStage(input: AudioStageInput): Promise<AudioResult> {
  const slots = await planAudio(input);
  if (slots.length === 0) return { file: undefined, clips: 0 };
  const file = path.join(input.workDir, AUDIO_ENCODERS[input.codec].file);
  input.logger.debug(`audio: mixing ${slots.length} clip(s)`);
  await runFfmpeg({
    ffmpegPath: input.ffmpegPath,
    args: audioMixArgs(slots, input.duration, input.codec, file),
    stage: 'audio',
    logger: input.logger,
    signal: input.signal,
  });
  return { file, clips: slots.length };
}
