// Custom LSP messages between the extension (client) and the language server.
// Each is a namespace with a literal `method` and typed params/result, and says who sends it and why.
export {};
