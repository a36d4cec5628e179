/**
 * A TypeORM column transformer for epoch-millisecond times stored as `bigint`: PostgreSQL returns
 * bigint as a string, SQLite as a number; both come back as a number.
 *
 * @example @Column({ type: 'bigint', transformer: epochMillis }) expiresAt!: number;
 */
export const epochMillis = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | number | null): number | null => (value === null || value === undefined ? null : Number(value)),
};
