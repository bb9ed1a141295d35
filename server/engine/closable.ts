// A resource with an async close: what a stage returns for its caller to close (the sequencer keeps a
// stack of these and closes them in reverse order, on success, failure and cancel alike).
export interface Closable {
  close(): Promise<void>;
}
