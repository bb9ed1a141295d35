// Entry of the preview webview (dist/webview.js, an IIFE loaded by the panel's HTML under a nonce CSP).
// The workbench's icon font, for the transport's buttons (bundled into webview.css; the font lands in dist/codicons/).
import '@vscode/codicons/dist/codicon.css';
import './preview.css';
import { isBridgeMessage, type ExtensionToWebviewMessage, type PreviewWebviewState, type WebviewToExtensionMessage } from '../server/protocol/webview';
import { PreviewApp } from './app';

interface VsCodeApi {
  postMessage(message: WebviewToExtensionMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function isExtensionMessage(value: unknown): value is ExtensionToWebviewMessage {
  return typeof value === 'object' && value !== null && !isBridgeMessage(value)
    && typeof (value as { type?: unknown }).type === 'string';
}

const vscode = acquireVsCodeApi();
const app = new PreviewApp({
  postMessage: message => vscode.postMessage(message),
  getState: () => (vscode.getState() as PreviewWebviewState | undefined) ?? undefined,
  setState: state => vscode.setState(state),
}, document.getElementById('app') ?? document.body);

window.addEventListener('message', event => {
  if (isExtensionMessage(event.data)) app.handleMessage(event.data);
});
