import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';

/**
 * Runs units of work in a transaction. TypeORM drives SQLite through one shared connection, where
 * two transactions started concurrently would nest into each other (one's rollback undoing the
 * other's writes); so on SQLite transactions take turns. PostgreSQL gives each its own connection.
 * Keep slow work (hashing, network) outside: the turn is held for the whole transaction.
 */
@Injectable()
export class Transactor {
  private readonly serialize: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type !== 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `work` in one transaction with the insertion of `mark`, unless a row matching `key` is there
   * already: something announced once, whichever instance comes first (the mark's primary key
   * refuses a second one). Returns whether it ran.
   */
  async once<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    key: FindOptionsWhere<E>,
    mark: E,
    work: (manager: EntityManager) => Promise<unknown>,
  ): Promise<boolean> {
    try {
      return await this.run(async (manager) => {
        if ((await manager.countBy(entity, key)) > 0) return false;
        await manager.insert(entity, mark);
        await work(manager);
        return true;
      });
    } catch (error) {
      // Another instance wrote it between the count and the insert: its key refused ours.
      if ((await this.dataSource.getRepository(entity).countBy(key)) > 0) return false;
      throw error;
    }
  }
}
