import type { DataSource, EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import { RefreshFamily } from './refresh-family.entity.js';
import type { FamilyTouch, RefreshFamilyRecord, RefreshTokenRecord, SpendOutcome } from './refresh-token-store.interface.js';
import { RefreshToken } from './refresh-token.entity.js';

/** A column as TypeORM describes it (its type is not exported from the package root). */
type ColumnMetadata = EntityMetadata['columns'][number];

/** One statement's text and, in placeholder order, the values it binds and their columns. */
interface Statement {
  sql: string;
  params: ReadonlyArray<{ name: string; column: ColumnMetadata | undefined }>;
}

/** What a rotation binds, by name. */
type RotationValues = Record<string, unknown>;

/** Per DataSource: its statements, written once. */
const written = new WeakMap<DataSource, RefreshStatements>();

/**
 * The statements of a refresh rotation, written once per DataSource from the entities' metadata
 * (table and column names after the app's naming strategy, prefix and schema; the driver's quoting
 * and placeholders), and run as plain SQL: every client rotates once per access-token lifetime,
 * and building each query through TypeORM's query builders took about as much server CPU as the
 * round trips to the database (profiled in docs/decisions.md). Rows are hydrated and values bound
 * through the driver, as TypeORM's own queries do (column transformers included).
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
    this.tokenColumns = tokens.metadata.columns;
    this.familyColumns = families.metadata.columns;
    const selected = [
      ...this.tokenColumns.map((column) => `t.${tokens.column(column.propertyName)} AS ${this.escape(`t_${column.propertyName}`)}`),
      ...this.familyColumns.map((column) => `f.${families.column(column.propertyName)} AS ${this.escape(`f_${column.propertyName}`)}`),
    ];
    this.findTokenStatement = this.statement(
      (p) =>
        `SELECT ${selected.join(', ')} FROM ${tokens.name} t INNER JOIN ${families.name} f ON f.${families.column('id')} = t.${tokens.column('familyId')} ` +
        `WHERE t.${tokens.column('tokenHash')} = ${p('tokenHash', tokens.metadata, 'tokenHash')}`,
    );
    const spend = (p: Placeholder, returning: string) =>
      `UPDATE ${tokens.name} SET ${tokens.column('spentAt')} = ${p('lastUsedAt', tokens.metadata, 'spentAt')}, ` +
      `${tokens.column('successorHash')} = ${p('successorHash', tokens.metadata, 'successorHash')} ` +
      `WHERE ${tokens.column('tokenHash')} = ${p('tokenHash', tokens.metadata, 'tokenHash')} AND ${tokens.column('spentAt')} IS NULL${returning}`;
    const touch = (p: Placeholder, condition: string, returning: string) =>
      `UPDATE ${families.name} SET ` +
      (['lastUsedAt', 'idleExpiresAt', 'purgeAfter', 'ip', 'userAgent'] as const)
        .map((property) => `${families.column(property)} = ${p(property, families.metadata, property)}`)
        .join(', ') +
      ` WHERE ${families.column('id')} = ${p('familyId', families.metadata, 'id')} AND ${families.column('revokedAt')} IS NULL` +
      ` AND ${families.column('expiresAt')} > ${p('lastUsedAt', families.metadata, 'expiresAt')}` +
      ` AND ${families.column('idleExpiresAt')} > ${p('lastUsedAt', families.metadata, 'idleExpiresAt')}${condition}${returning}`;
    const successorColumns = ['tokenHash', 'familyId', 'createdAt', 'spentAt', 'successorHash'] as const;
    const successorValues = (p: Placeholder) =>
      successorColumns.map((property) => (property === 'spentAt' || property === 'successorHash' ? 'NULL' : p(`successor.${property}`, tokens.metadata, property)));
    const insertInto = `INSERT INTO ${tokens.name} (${successorColumns.map((property) => tokens.column(property)).join(', ')})`;
    this.spendStatement = this.statement((p) => spend(p, ''));
    this.touchStatement = this.statement((p) => touch(p, '', ''));
    this.insertStatement = this.statement((p) => `${insertInto} VALUES (${successorValues(p).join(', ')})`);
    this.rotateStatement =
      dataSource.options.type === 'postgres'
        ? this.statement(
            (p) =>
              `WITH spent AS (${spend(p, ` RETURNING 1`)}), ` +
              `touched AS (${touch(p, ' AND EXISTS (SELECT 1 FROM spent)', ' RETURNING 1')}), ` +
              `inserted AS (${insertInto} SELECT ${successorValues(p).join(', ')} FROM touched RETURNING 1) ` +
              `SELECT (SELECT count(*) FROM spent)::int AS spent, (SELECT count(*) FROM inserted)::int AS inserted`,
          )
        : undefined;
  }

  /** The token with this hash and its family, in one query. */
  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | undefined> {
    const rows = (await this.run(this.dataSource, this.findTokenStatement, { tokenHash })) as ObjectLiteral[];
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
    const rows = (await this.run(this.dataSource, this.rotateStatement, rotationValues(tokenHash, successor, familyId, touch))) as Array<{ spent: number; inserted: number }>;
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
    await this.affected(queryRunner, this.insertStatement, prefixed('successor.', successor));
  }

  private async affected(queryRunner: QueryRunner, statement: Statement, values: RotationValues): Promise<number | undefined> {
    const result = await queryRunner.query(statement.sql, this.bind(statement, values), true);
    return (result as { affected?: number }).affected;
  }

  private run(dataSource: DataSource, statement: Statement, values: RotationValues): Promise<unknown> {
    return dataSource.query(statement.sql, this.bind(statement, values));
  }

  private bind(statement: Statement, values: RotationValues): unknown[] {
    const driver = this.dataSource.driver;
    return statement.params.map(({ name, column }) => (column ? driver.preparePersistentValue(values[name], column) : values[name]));
  }

  private hydrate<T extends ObjectLiteral>(target: T, columns: readonly ColumnMetadata[], row: ObjectLiteral, prefix: string): T {
    const driver = this.dataSource.driver;
    for (const column of columns) (target as ObjectLiteral)[column.propertyName] = driver.prepareHydratedValue(row[`${prefix}${column.propertyName}`], column);
    return target;
  }

  private statement(write: (placeholder: Placeholder) => string): Statement {
    const params: Array<{ name: string; column: ColumnMetadata | undefined }> = [];
    const sql = write((name, metadata, property) => {
      params.push({ name, column: metadata.findColumnWithPropertyName(property) });
      return this.dataSource.driver.createParameter(name, params.length - 1);
    });
    return { sql, params };
  }

  private escape(name: string): string {
    return this.dataSource.driver.escape(name);
  }
}

/** Writes a placeholder for the value `name`, bound as `property` of the entity `metadata` is. */
type Placeholder = (name: string, metadata: EntityMetadata, property: string) => string;

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

function rotationValues(tokenHash: string, successor: RefreshTokenRecord, familyId: string, touch: FamilyTouch): RotationValues {
  return { tokenHash, successorHash: successor.tokenHash, familyId, ...touch, ...prefixed('successor.', successor) };
}

function prefixed(prefix: string, record: object): RotationValues {
  const values: RotationValues = {};
  for (const [key, value] of Object.entries(record)) values[`${prefix}${key}`] = value;
  return values;
}
