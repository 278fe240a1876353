import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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
}
