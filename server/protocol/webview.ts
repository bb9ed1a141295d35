// Messages between the extension host and the preview webview.
export {};
