import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/** An order placed by a principal's subject. */
@Entity({ name: 'orders' })
@Index('idx_orders_owner', ['ownerId', 'createdAt'])
export class Order {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId!: string;

  @Column({ type: 'varchar', length: 200 })
  item!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
