import { Injectable } from '@nestjs/common';

export type DependencyCheck = () => Promise<void>;

/**
 * What `/health/ready` reports: one check per dependency, and a shutdown flag that turns
 * readiness off first when SIGTERM arrives so load balancers stop sending work.
 */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, DependencyCheck>();
  private stopping = false;

  register(name: string, check: DependencyCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, DependencyCheck][] {
    return [...this.checks.entries()];
  }

  markStopping(): void {
    this.stopping = true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }
}
