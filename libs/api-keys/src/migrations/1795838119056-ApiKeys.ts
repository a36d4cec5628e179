import { MigrationInterface, QueryRunner } from "typeorm";

export class ApiKeys1795838119056 implements MigrationInterface {
    name = 'ApiKeys1795838119056'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" character varying(36) NOT NULL, "hash" character varying(64) NOT NULL, "hint" character varying(48) NOT NULL, "owner_id" character varying(64) NOT NULL, "name" character varying(100) NOT NULL, "scopes" character varying(2048) NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint, "revoked_at" bigint, "last_used_at" bigint, "last_used_network" character varying(64), "usage_count" bigint NOT NULL DEFAULT '0', "rotated_from_id" character varying(36), "replaced_by_id" character varying(36), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("hash") `);
        await queryRunner.query(`CREATE INDEX "idx_api_keys_owner" ON "api_keys"  ("owner_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_api_keys_owner"`);
        await queryRunner.query(`DROP INDEX "public"."uq_api_keys_hash"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
    }

}
