// The one typed protocol every side speaks: LSP custom requests/notifications between the extension
// and the language server, and messages between the extension and the preview webview. A method string
// and its parameter/result types are declared once, here, and imported by every side.
export * from './lsp';
export * from './webview';
