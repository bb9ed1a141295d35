// The observability hook every stage takes in its input (the extension routes it to its LogOutputChannel,
// the CLI to stderr, the render worker over IPC).
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
