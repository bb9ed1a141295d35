// The sequencer's resource stack: every browser, page, file server and ffmpeg child a stage returns is
// pushed here and closed in reverse order in `finally`, whatever happened, so a failing stage leaks nothing.
import type { Closable } from '../closable';
import type { Logger } from '../logger';

export class ResourceStack implements Closable {
  private readonly resources: Array<{ name: string; resource: Closable }> = [];

  constructor(private readonly logger: Logger) {}

  push<T extends Closable>(name: string, resource: T): T {
    this.resources.push({ name, resource });
    return resource;
  }

  /** Closes one resource early (e.g. the probe's browser once capture has its own) and forgets it. */
  async release(resource: Closable): Promise<void> {
    const index = this.resources.findIndex(entry => entry.resource === resource);
    if (index < 0) return;
    const [entry] = this.resources.splice(index, 1);
    await this.closeOne(entry.name, entry.resource);
  }

  async close(): Promise<void> {
    while (this.resources.length) {
      const { name, resource } = this.resources.pop()!;
      await this.closeOne(name, resource);
    }
  }

  private async closeOne(name: string, resource: Closable): Promise<void> {
    try {
      await resource.close();
    } catch (error) {
      this.logger.warn(`closing ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
