// Every command the extension contributes, in one table (rust-analyzer's `createCommands`): its id, its
// palette title and when the palette offers it. The manifest's `contributes.commands` and
// `menus.commandPalette` are checked against this table by a unit test, and the modules that register the
// commands take their ids from here. (Commands that run the composition's scripts refuse, with a message,
// in an untrusted workspace: each says so itself, as the README's trust section lists.)

export interface CommandSpec {
  id: string;
  /** The palette title (category "HyperFrames"); undefined for internal commands (not in the palette). */
  title: string | undefined;
  /** The palette's `when` clause; undefined: always offered. */
  paletteWhen?: string;
}

export const CommandIds = {
  checkEnvironment: 'hyperframesLive.checkEnvironment',
  showLog: 'hyperframesLive.showLog',
  restartServer: 'hyperframesLive.restartServer',
  openPreview: 'hyperframesLive.openPreview',
  openPreviewToSide: 'hyperframesLive.openPreviewToSide',
  render: 'hyperframesLive.render',
  renderLast: 'hyperframesLive.renderLast',
  showRenderQueue: 'hyperframesLive.showRenderQueue',
  cancelRender: 'hyperframesLive.cancelRender',
  renderAs: 'hyperframesLive.renderAs',
  /** A rows file of variable values (the Explorer's context menu on *.json): one render per row. */
  renderBatch: 'hyperframesLive.renderBatch',
  /** The Renders view's item actions (view/item/context; not in the palette: they need a render). */
  openRenderOutput: 'hyperframesLive.renders.open',
  revealRenderOutput: 'hyperframesLive.renders.reveal',
  rerunRender: 'hyperframesLive.renders.rerun',
  removeRender: 'hyperframesLive.renders.remove',
  /** The language status item's menu: Restart Server, Show Log, Check Environment (and the state's own fix). */
  serverMenu: 'hyperframesLive.serverMenu',
  /** The walkthrough's first step: opens the bundled example composition. */
  openExample: 'hyperframesLive.openExample',
  /** The walkthrough's preview and render buttons (the composition in view, else the example). */
  walkthroughPreview: 'hyperframesLive.walkthrough.openPreview',
  walkthroughRender: 'hyperframesLive.walkthrough.render',
  /** Internal: the render queue's state, for the end-to-end tests. */
  inspectRenders: 'hyperframesLive.render.inspect',
  /** Internal: the preview panels' status, for the end-to-end tests. */
  inspectPreviews: 'hyperframesLive.preview.inspect',
} as const;

export const COMMANDS: readonly CommandSpec[] = [
  { id: CommandIds.checkEnvironment, title: 'Check Environment' },
  { id: CommandIds.showLog, title: 'Show Log' },
  { id: CommandIds.restartServer, title: 'Restart Language Server' },
  { id: CommandIds.openPreview, title: 'Open Preview', paletteWhen: 'editorLangId == html' },
  { id: CommandIds.openPreviewToSide, title: 'Open Preview to the Side', paletteWhen: 'editorLangId == html' },
  { id: CommandIds.render, title: 'Render Composition…', paletteWhen: 'hyperframesLive.isComposition' },
  { id: CommandIds.renderLast, title: 'Render with Last Settings' },
  { id: CommandIds.showRenderQueue, title: 'Show Render Queue' },
  { id: CommandIds.cancelRender, title: 'Cancel Render', paletteWhen: 'hyperframesLive.renderActive' },
  { id: CommandIds.renderAs, title: 'Render As…', paletteWhen: 'hyperframesLive.isComposition' },
  { id: CommandIds.renderBatch, title: 'Render Batch', paletteWhen: 'resourceExtname == .json' },
  { id: CommandIds.openRenderOutput, title: 'Open', paletteWhen: 'false' },
  { id: CommandIds.revealRenderOutput, title: 'Reveal Output', paletteWhen: 'false' },
  { id: CommandIds.rerunRender, title: 'Re-run', paletteWhen: 'false' },
  { id: CommandIds.removeRender, title: 'Remove', paletteWhen: 'false' },
  { id: CommandIds.serverMenu, title: 'Language Server Menu' },
  { id: CommandIds.openExample, title: 'Open Example Composition' },
  { id: CommandIds.walkthroughPreview, title: 'Preview the Example', paletteWhen: 'false' },
  { id: CommandIds.walkthroughRender, title: 'Render the Example', paletteWhen: 'false' },
  { id: CommandIds.inspectRenders, title: undefined },
  { id: CommandIds.inspectPreviews, title: undefined },
];
