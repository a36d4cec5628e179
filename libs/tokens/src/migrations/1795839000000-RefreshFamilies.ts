import { MigrationInterface, QueryRunner } from "typeorm";

export class RefreshFamilies1795839000000 implements MigrationInterface {
    name = 'RefreshFamilies1795839000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "refresh_families" ("id" character varying(43) NOT NULL, "subject" character varying(255) NOT NULL, "scopes" character varying(2048) NOT NULL, "created_at" bigint NOT NULL, "last_used_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "idle_expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_reason" character varying(64), "purge_after" bigint NOT NULL, "ip" character varying(64), "user_agent" character varying(512), CONSTRAINT "PK_cb5c08eb602a0223251328ed350" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_refresh_families_purge" ON "refresh_families"  ("purge_after") `);
        await queryRunner.query(`CREATE INDEX "idx_refresh_families_subject" ON "refresh_families"  ("subject", "last_used_at") `);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("token_hash" character varying(64) NOT NULL, "family_id" character varying(43) NOT NULL, "created_at" bigint NOT NULL, "spent_at" bigint, "successor_hash" character varying(64), CONSTRAINT "PK_a7838d2ba25be1342091b6695f1" PRIMARY KEY ("token_hash"))`);
        await queryRunner.query(`CREATE INDEX "idx_refresh_tokens_family" ON "refresh_tokens"  ("family_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_refresh_tokens_family"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."idx_refresh_families_subject"`);
        await queryRunner.query(`DROP INDEX "public"."idx_refresh_families_purge"`);
        await queryRunner.query(`DROP TABLE "refresh_families"`);
    }

}
