// The preview webview's HTML: scripts only with a per-render nonce, styles and scripts only from dist/,
// frames only from the engine's file server origin.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function previewHtml(webview: vscode.Webview, distUri: vscode.Uri, frameOrigin: string | undefined): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `frame-src ${frameOrigin ?? "'none'"}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style.toString()}">
  <title>HyperFrames Preview</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
