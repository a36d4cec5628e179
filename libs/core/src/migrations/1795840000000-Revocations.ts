import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `gatehouse_revocations` table (PostgreSQL): revocations in force, polled by `revoked_at`. */
export class Revocations1795840000000 implements MigrationInterface {
  name = 'Revocations1795840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gatehouse_revocations" ("revocation_key" character varying(300) NOT NULL, "revoked_at" bigint NOT NULL, "expires_at" bigint NOT NULL, CONSTRAINT "PK_gatehouse_revocations" PRIMARY KEY ("revocation_key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_gatehouse_revocations_revoked_at" ON "gatehouse_revocations" ("revoked_at") `);
    await queryRunner.query(`CREATE INDEX "idx_gatehouse_revocations_expires_at" ON "gatehouse_revocations" ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_gatehouse_revocations_expires_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_gatehouse_revocations_revoked_at"`);
    await queryRunner.query(`DROP TABLE "gatehouse_revocations"`);
  }
}
