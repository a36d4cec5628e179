import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/** A registered user of the demo. The password is stored only as an argon2id hash. */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  /** Space-separated scopes the account holds. */
  @Column({ type: 'varchar', length: 1024 })
  scopes!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'password_changed_at', type: 'bigint', transformer: epochMillis })
  passwordChangedAt!: number;
}
