// The engine's "tool not found" messages are neutral (the CLI names its flags); inside VS Code the way to
// point at a tool is a setting, which the editor's sides (language server, extension) add when they show one.

/** The setting that chooses each external tool (ffprobe is taken from beside the chosen ffmpeg). */
export const TOOL_SETTINGS = {
  chromium: 'hyperframesLive.chromiumPath',
  ffmpeg: 'hyperframesLive.ffmpegPath',
  ffprobe: 'hyperframesLive.ffmpegPath',
} as const;

export type SettableTool = keyof typeof TOOL_SETTINGS;

/** `message` followed by the setting that fixes it, for a message shown in VS Code. */
export function withToolSetting(tool: SettableTool, message: string): string {
  const setting = TOOL_SETTINGS[tool];
  return message.includes(setting) ? message : `${message} In VS Code, the ${setting} setting gives its path.`;
}
