import type { DataSource, EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import { RefreshFamily } from './refresh-family.entity.js';
import type { FamilyTouch, RefreshFamilyRecord, RefreshTokenRecord, SpendOutcome } from './refresh-token-store.interface.js';
import { RefreshToken } from './refresh-token.entity.js';

/** A column as TypeORM describes it (its type is not exported from the package root). */
type ColumnMetadata = EntityMetadata['columns'][number];

/** One statement in the driver's placeholders, and the names of the values it binds, in their order. */
interface Statement {
  readonly sql: string;
  readonly names: readonly string[];
}

/** Per DataSource: its statements, written once. */
const written = new WeakMap<DataSource, RefreshStatements>();

/** The statements' `:name` parameters, each standing for itself while the placeholders are written. */
const PARAMETERS: Readonly<Record<string, string>> = Object.fromEntries(
  ['tokenHash', 'familyId', 'successorHash', 'successorCreatedAt', 'lastUsedAt', 'idleExpiresAt', 'purgeAfter', 'ip', 'userAgent'].map((name) => [name, name]),
);

/**
 * The statements of a refresh rotation, written once per DataSource from the entities' metadata
 * (table and column names after the app's naming strategy, prefix and schema, in the driver's
 * quoting), with TypeORM's `:name` parameters turned into the driver's placeholders once, and run
 * as plain SQL: every client rotates once per access-token lifetime, and building each query
 * through TypeORM's query builders took about as much server CPU as the round trips to the
 * database (profiled in docs/decisions.md). Every value is bound, never written into the text, so
 * each statement's text is the same on every rotation, and the statement cache of TypeORM's
 * better-sqlite3 driver prepares it once. Rows are hydrated through the driver, as TypeORM's own
 * queries are (column transformers included).
 *
 * - `findToken`: the token and its family in one joined `SELECT`.
 * - `spend` on PostgreSQL: one statement whose data-modifying CTEs spend the token, touch the
 *   family and insert the successor, each only if the one before changed a row. The conditional
 *   `UPDATE … WHERE spent_at IS NULL` comes first, so a concurrent loser waits on the token's row
 *   lock, then finds it spent and changes nothing. A family revoked (or expired) meanwhile leaves
 *   the token spent with no successor: the family is dead, so nothing can use the token again.
 * - `spend` elsewhere (SQLite): the same three statements in one transaction, rolled back when
 *   the family was revoked meanwhile.
 */
export class RefreshStatements {
  private readonly findTokenStatement: Statement;
  private readonly spendStatement: Statement;
  private readonly touchStatement: Statement;
  private readonly insertStatement: Statement;
  /** PostgreSQL: the three writes as one statement. */
  private readonly rotateStatement: Statement | undefined;
  private readonly tokenColumns: readonly ColumnMetadata[];
  private readonly familyColumns: readonly ColumnMetadata[];

  static of(dataSource: DataSource): RefreshStatements {
    let statements = written.get(dataSource);
    if (statements === undefined) {
      statements = new RefreshStatements(dataSource);
      written.set(dataSource, statements);
    }
    return statements;
  }

  private constructor(private readonly dataSource: DataSource) {
    const tokens = new Table(dataSource, dataSource.getMetadata(RefreshToken));
    const families = new Table(dataSource, dataSource.getMetadata(RefreshFamily));
    const alias = (name: string) => dataSource.driver.escape(name);
    this.tokenColumns = tokens.metadata.columns;
    this.familyColumns = families.metadata.columns;
    const selected = [
      ...this.tokenColumns.map((column) => `t.${tokens.column(column.propertyName)} AS ${alias(`t_${column.propertyName}`)}`),
      ...this.familyColumns.map((column) => `f.${families.column(column.propertyName)} AS ${alias(`f_${column.propertyName}`)}`),
    ];
    const spend =
      `UPDATE ${tokens.name} SET ${tokens.column('spentAt')} = :lastUsedAt, ${tokens.column('successorHash')} = :successorHash ` +
      `WHERE ${tokens.column('tokenHash')} = :tokenHash AND ${tokens.column('spentAt')} IS NULL`;
    const touch =
      `UPDATE ${families.name} SET ` +
      (['lastUsedAt', 'idleExpiresAt', 'purgeAfter', 'ip', 'userAgent'] as const).map((property) => `${families.column(property)} = :${property}`).join(', ') +
      ` WHERE ${families.column('id')} = :familyId AND ${families.column('revokedAt')} IS NULL` +
      ` AND ${families.column('expiresAt')} > :lastUsedAt AND ${families.column('idleExpiresAt')} > :lastUsedAt`;
    const insertInto = `INSERT INTO ${tokens.name} (${(['tokenHash', 'familyId', 'createdAt', 'spentAt', 'successorHash'] as const).map((property) => tokens.column(property)).join(', ')})`;
    const successor = ':successorHash, :familyId, :successorCreatedAt, NULL, NULL';
    this.findTokenStatement = this.statement(
      `SELECT ${selected.join(', ')} FROM ${tokens.name} t INNER JOIN ${families.name} f ON f.${families.column('id')} = t.${tokens.column('familyId')} ` +
        `WHERE t.${tokens.column('tokenHash')} = :tokenHash`,
    );
    this.spendStatement = this.statement(spend);
    this.touchStatement = this.statement(touch);
    this.insertStatement = this.statement(`${insertInto} VALUES (${successor})`);
    this.rotateStatement =
      dataSource.options.type === 'postgres'
        ? this.statement(
            `WITH spent AS (${spend} RETURNING 1), ` +
              `touched AS (${touch} AND EXISTS (SELECT 1 FROM spent) RETURNING 1), ` +
              `inserted AS (${insertInto} SELECT ${successor} FROM touched RETURNING 1) ` +
              'SELECT (SELECT count(*) FROM spent)::int AS spent, (SELECT count(*) FROM inserted)::int AS inserted',
          )
        : undefined;
  }

  /** The token with this hash and its family, in one query. */
  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | undefined> {
    const rows = (await this.run(this.findTokenStatement, { tokenHash })) as ObjectLiteral[];
    const row = rows[0];
    if (row === undefined) return undefined;
    return { token: this.hydrate(new RefreshToken(), this.tokenColumns, row, 't_'), family: this.hydrate(new RefreshFamily(), this.familyColumns, row, 'f_') };
  }

  /** PostgreSQL only: the whole rotation in one statement, outside any transaction. */
  get spendsInOneStatement(): boolean {
    return this.rotateStatement !== undefined;
  }

  /** `spendsInOneStatement`: spends, touches and inserts, each only after the one before changed a row. */
  async rotate(tokenHash: string, successor: RefreshTokenRecord, familyId: string, touch: FamilyTouch): Promise<SpendOutcome> {
    if (!this.rotateStatement) throw new TypeError('One-statement rotations are written for PostgreSQL only');
    const rows = (await this.run(this.rotateStatement, rotationValues(tokenHash, successor, familyId, touch))) as Array<{ spent: number; inserted: number }>;
    const { spent, inserted } = rows[0]!;
    if (spent !== 1) return 'already_spent';
    return inserted === 1 ? 'rotated' : 'family_revoked';
  }

  /** Inside the caller's transaction: spends the token if unspent; false when another rotation did. */
  async spend(queryRunner: QueryRunner, tokenHash: string, successor: RefreshTokenRecord, touch: FamilyTouch): Promise<boolean> {
    return (await this.affected(queryRunner, this.spendStatement, rotationValues(tokenHash, successor, successor.familyId, touch))) === 1;
  }

  /** Inside the caller's transaction: touches the family if still live; false when it was revoked or expired. */
  async touch(queryRunner: QueryRunner, familyId: string, touch: FamilyTouch): Promise<boolean> {
    return (await this.affected(queryRunner, this.touchStatement, { ...touch, familyId })) === 1;
  }

  /** Inside the caller's transaction: inserts the successor, unspent. */
  async insertSuccessor(queryRunner: QueryRunner, successor: RefreshTokenRecord): Promise<void> {
    await this.affected(queryRunner, this.insertStatement, { successorHash: successor.tokenHash, familyId: successor.familyId, successorCreatedAt: successor.createdAt });
  }

  private async affected(queryRunner: QueryRunner, statement: Statement, values: ObjectLiteral): Promise<number | undefined> {
    const result = await queryRunner.query(statement.sql, bind(statement, values), true);
    return (result as { affected?: number }).affected;
  }

  private run(statement: Statement, values: ObjectLiteral): Promise<unknown> {
    return this.dataSource.query(statement.sql, bind(statement, values));
  }

  /**
   * `sql` with its `:name` parameters in the driver's placeholders, written by TypeORM's own
   * `escapeQueryWithParameters` once. Each name is passed as its own value: a string is always
   * bound, whereas TypeORM's SQLite driver writes a number into the text itself, which at run time
   * would make every rotation's statement new to the statement cache.
   */
  private statement(sql: string): Statement {
    const [text, names] = this.dataSource.driver.escapeQueryWithParameters(sql, PARAMETERS) as [string, string[]];
    // A `:name` left in the text was not declared (`::int` is PostgreSQL's cast).
    const unknown = /(?<!:):[A-Za-z]\w*/.exec(text);
    if (unknown) throw new TypeError(`Refresh statement parameter ${unknown[0]} is not declared`);
    return { sql: text, names };
  }

  private hydrate<T extends ObjectLiteral>(target: T, columns: readonly ColumnMetadata[], row: ObjectLiteral, prefix: string): T {
    const driver = this.dataSource.driver;
    for (const column of columns) (target as ObjectLiteral)[column.propertyName] = driver.prepareHydratedValue(row[`${prefix}${column.propertyName}`], column);
    return target;
  }
}

/** An entity's table and column names, quoted for the driver. */
class Table {
  readonly name: string;

  constructor(
    private readonly dataSource: DataSource,
    readonly metadata: EntityMetadata,
  ) {
    // As TypeORM's query builders quote a table path: each part of `schema.table` on its own.
    this.name = metadata.tablePath
      .split('.')
      .map((part) => (part === '' ? part : dataSource.driver.escape(part)))
      .join('.');
  }

  column(property: string): string {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new TypeError(`${this.metadata.name} has no column for "${property}"`);
    return this.dataSource.driver.escape(column.databaseName);
  }
}

/** The values of `statement`'s placeholders, in their order. */
function bind(statement: Statement, values: ObjectLiteral): unknown[] {
  return statement.names.map((name) => values[name]);
}

function rotationValues(tokenHash: string, successor: RefreshTokenRecord, familyId: string, touch: FamilyTouch): ObjectLiteral {
  return { ...touch, tokenHash, familyId, successorHash: successor.tokenHash, successorCreatedAt: successor.createdAt };
}
