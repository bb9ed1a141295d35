// Wires the LSP connection to the composition session and the features. Every handler is guarded: an error
// is logged to the client's output channel and the request answers empty, so bad input never kills the server.
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType,
  ResponseError, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult, type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../../package.json';
import { DEFAULT_COMPILE_DEBOUNCE_MS } from '../engine/limits';
import type { Composition } from '../engine/model';
import type { Logger } from '../engine/logger';
import {
  CheckEnvironmentRequest, CompositionInfoRequest, PageConsoleNotification, PreviewCompositionRequest, ProbeStatusNotification, WATCHED_FILES_GLOB,
  type CompositionInfo, type InitializationOptions,
} from '../protocol/lsp';
import { pathToUri, uriToPath } from './convert';
import { checkEnvironment } from './environment';
import { codeActionsFor } from './features/codeActions';
import { completionsAt } from './features/completion';
import { fontHover } from './features/fonts';
import { clipHover, rootCodeLenses } from './features/timing';
import { variableHover } from './features/variables';
import { compositionRootTag, outlineSymbols, subCompositionUse } from './features/outline';
import { CompositionSession, type WatchedFileChange } from './session';
import { DEFAULT_SERVER_SETTINGS, mergeSettings } from './settings';

function connectionLogger(connection: Connection): Logger {
  return {
    trace: message => connection.console.debug(message),
    debug: message => connection.console.debug(message),
    info: message => connection.console.info(message),
    warn: message => connection.console.warn(message),
    error: message => connection.console.error(message),
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function compositionInfo(composition: Composition, errorCount: number, version: number | null): CompositionInfo {
  return {
    entryUri: pathToUri(composition.entryFile),
    compositionId: composition.id ?? null,
    width: composition.width,
    height: composition.height,
    fps: composition.fps,
    duration: composition.duration ?? null,
    durationSource: composition.durationSource,
    frameCount: composition.frameCount,
    clips: composition.clips.map(clip => ({
      id: clip.id, kind: clip.kind, tagName: clip.tagName, uri: pathToUri(clip.file), range: clip.tagRange,
      start: clip.start, duration: clip.duration ?? null, end: clip.end ?? null, trackIndex: clip.trackIndex,
      compositionId: clip.compositionId ?? null, depth: clip.depth, parentId: clip.parentId ?? null,
      startExpression: typeof clip.startExpression === 'number' ? null
        : `${clip.startExpression.ref}${clip.startExpression.offset === 0 ? '' : ` ${clip.startExpression.offset < 0 ? '-' : '+'} ${Math.abs(clip.startExpression.offset)}`}`,
    })),
    errorCount,
    version,
  };
}

export function startServer(connection: Connection): void {
  const logger = connectionLogger(connection);
  const documents = new TextDocuments(TextDocument);
  /** Absolute path → URI of the open documents the engine can read (file: scheme). */
  const openFiles = new Map<string, string>();
  let session: CompositionSession | undefined;
  let canRegisterWatchers = false;

  function guard<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async params => {
      try {
        return await handler(params);
      } catch (error) {
        logger.error(`${name} failed: ${describeError(error)}`);
        return fallback;
      }
    };
  }

  /** The session and the document's path, for requests on a document the engine can handle. */
  function target(uri: string): { session: CompositionSession; file: string; document: TextDocument } | undefined {
    const file = uriToPath(uri);
    const document = documents.get(uri);
    if (!session || !file || !document) return undefined;
    return { session, file, document };
  }

  connection.onInitialize(params => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const settings = mergeSettings(DEFAULT_SERVER_SETTINGS, options.settings ?? options);
    canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    session = new CompositionSession({
      publishDiagnostics: (file, diagnostics, version) => {
        void connection.sendDiagnostics({ uri: openFiles.get(file) ?? pathToUri(file), diagnostics, version });
      },
      sendProbeStatus: status => void connection.sendNotification(ProbeStatusNotification.type, status),
      sendPageConsole: lines => void connection.sendNotification(PageConsoleNotification.type, lines),
      openDocument: file => {
        const uri = openFiles.get(file);
        return uri ? documents.get(uri) : undefined;
      },
      openFiles: () => [...openFiles.keys()],
      uriOf: file => openFiles.get(file) ?? pathToUri(file),
      logger,
      compileDebounceMs: DEFAULT_COMPILE_DEBOUNCE_MS,
    }, settings);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: ['-', ' ', '"', "'"] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'hyperframes-live', version: packageJson.version },
    };
    return result;
  });

  connection.onInitialized(() => {
    logger.info(`HyperFrames Live language server ${packageJson.version} ready (node ${process.version}, pid ${process.pid})`);
    // Stylesheets, scripts and media are not documents this server syncs: the client watches them for it.
    if (canRegisterWatchers) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_FILES_GLOB }] })
        .catch((error: unknown) => logger.warn(`could not register the file watcher: ${describeError(error)}; only saved HTML is re-checked`));
    } else {
      logger.info('the client cannot register file watchers: only saved HTML documents are re-checked');
    }
  });

  const changeKinds: Record<FileChangeType, WatchedFileChange['kind']> = {
    [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted',
  };
  connection.onNotification(DidChangeWatchedFilesNotification.type, guard('didChangeWatchedFiles', undefined, params => {
    const changes = params.changes.flatMap(change => {
      const file = uriToPath(change.uri);
      const kind = changeKinds[change.type] as WatchedFileChange['kind'] | undefined;
      return file && kind ? [{ file, kind }] : [];
    });
    session?.diskChanged(changes);
  }));

  connection.onNotification(DidChangeConfigurationNotification.type, guard('didChangeConfiguration', undefined, async params => {
    await session?.updateSettings(params.settings);
  }));

  // TextDocuments fires onDidChangeContent for an open too; opens are handled by onDidOpen alone.
  const justOpened = new Set<string>();
  documents.onDidOpen(guard('didOpen', undefined, async event => {
    const file = uriToPath(event.document.uri);
    if (!file || !session) return;
    openFiles.set(file, event.document.uri);
    justOpened.add(event.document.uri);
    await session.opened(file);
  }));
  documents.onDidChangeContent(guard('didChange', undefined, event => {
    if (justOpened.delete(event.document.uri)) return;
    const file = uriToPath(event.document.uri);
    if (file && session) session.changed(file);
  }));
  documents.onDidSave(guard('didSave', undefined, async event => {
    const file = uriToPath(event.document.uri);
    if (file && session) await session.saved(file);
  }));
  documents.onDidClose(guard('didClose', undefined, async event => {
    const file = uriToPath(event.document.uri);
    justOpened.delete(event.document.uri);
    if (!file || !session) return;
    openFiles.delete(file);
    await session.closed(file);
  }));

  connection.onHover(guard('hover', null, async params => {
    const t = target(params.textDocument.uri);
    const composition = t && await t.session.compositionFor(t.file);
    return (t && composition && (fontHover(composition, t.file, params.position) ?? variableHover(composition, t.file, params.position) ?? clipHover(composition, t.file, params.position))) ?? null;
  }));

  connection.onCodeLens(guard('codeLens', [], async params => {
    const t = target(params.textDocument.uri);
    const composition = t && await t.session.compositionFor(t.file);
    return t && composition ? rootCodeLenses(composition, t.file, params.textDocument.uri) : [];
  }));

  connection.onDocumentSymbol(guard('documentSymbol', [], async params => {
    const t = target(params.textDocument.uri);
    const composition = t && await t.session.compositionFor(t.file);
    if (!t || !composition) return [];
    // In a sub-composition's own file, its root element is the outline's root node.
    const use = composition.entryFile === t.file ? undefined : subCompositionUse(composition, t.file);
    const tag = use && compositionRootTag(t.document.getText());
    const at = (offset: number): Position => t.document.positionAt(offset);
    const subRoot = use && tag ? {
      ...use, range: { start: at(tag.start), end: at(tag.end) }, selectionRange: { start: at(tag.valueStart), end: at(tag.valueEnd) },
    } : undefined;
    return outlineSymbols(composition, t.file, subRoot);
  }));

  connection.onCompletion(guard('completion', [], async params => {
    const t = target(params.textDocument.uri);
    if (!t || !t.session.entryOf(t.file)) return [];
    const composition = await t.session.compositionFor(t.file);
    return completionsAt(t.document, t.document.offsetAt(params.position), composition, t.file);
  }));

  connection.onCodeAction(guard('codeAction', [], async params => {
    const t = target(params.textDocument.uri);
    if (!t) return [];
    const composition = await t.session.compositionFor(t.file);
    return codeActionsFor({ document: t.document, file: t.file, composition }, params.context.diagnostics);
  }));

  connection.onRequest(CompositionInfoRequest.type, guard('compositionInfo', null, async params => {
    const file = uriToPath(params.uri);
    if (!session || !file) return null;
    const entry = session.entryOf(file);
    const composition = await session.compositionFor(file);
    if (!entry || !composition) return null;
    return compositionInfo(composition, session.errorCount(entry), session.versionOf(entry));
  }));

  connection.onRequest(PreviewCompositionRequest.type, guard('previewComposition', null, async params => {
    const file = uriToPath(params.uri);
    const result = session && file ? await session.previewCompile(file, params.reuse) : undefined;
    return result ? { composition: result.composition, diagnostics: result.diagnostics, compileMs: result.compileMs } : null;
  }));

  const environmentFailed = new ResponseError(ErrorCodes.InternalError, 'Check Environment failed; the HyperFrames Live log says why.');
  connection.onRequest(CheckEnvironmentRequest.type, guard<CheckEnvironmentRequest.Params, CheckEnvironmentRequest.Result | ResponseError>('checkEnvironment', environmentFailed, async () => {
    const current = session?.currentSettings ?? DEFAULT_SERVER_SETTINGS;
    return checkEnvironment(current, session?.isBrowserRunning() ?? false, packageJson.version);
  }));

  connection.onShutdown(guard('shutdown', undefined, async () => {
    await session?.shutdown();
  }));

  documents.listen(connection);
  connection.listen();
}
