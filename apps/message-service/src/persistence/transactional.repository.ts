import type { DataSource, EntityManager } from 'typeorm';

/**
 * Base of the chat repositories: queries run on the pool, or, inside `transaction()`, on that transaction.
 * `within()` binds another repository to a transaction this one opened, so several repositories change rows
 * in one commit.
 */
export abstract class TransactionalRepository<R extends TransactionalRepository<R>> {
  private bound: EntityManager | null = null;

  constructor(protected readonly dataSource: DataSource) {}

  /** The transaction this repository is bound to, or the pool; also what ScopeRepository lookups take. */
  get manager(): EntityManager {
    return this.bound ?? this.dataSource.manager;
  }

  /** A new instance over the same data source (each subclass constructs itself). */
  protected abstract fresh(): R;

  within(manager: EntityManager): R {
    const repo = this.fresh();
    repo.bound = manager;
    return repo;
  }

  /** Runs `work` in one transaction (joins the current one when already inside). */
  transaction<T>(work: (tx: R) => Promise<T>): Promise<T> {
    if (this.bound) return work(this as unknown as R);
    return this.dataSource.transaction((manager) => work(this.within(manager)));
  }
}
