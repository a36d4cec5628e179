import { MigrationInterface, QueryRunner } from "typeorm";

export class Sessions1795838500000 implements MigrationInterface {
    name = 'Sessions1795838500000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "sessions" ("id" character varying(36) NOT NULL, "token_hash" character varying(64) NOT NULL, "subject" character varying(255) NOT NULL, "scopes" character varying(1024) NOT NULL, "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "idle_expires_at" bigint NOT NULL, "absolute_expires_at" bigint NOT NULL, "auth_time" bigint NOT NULL, "ip" character varying(64), "user_agent" character varying(512), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_sessions_token_hash" ON "sessions"  ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "idx_sessions_absolute_expires" ON "sessions"  ("absolute_expires_at") `);
        await queryRunner.query(`CREATE INDEX "idx_sessions_idle_expires" ON "sessions"  ("idle_expires_at") `);
        await queryRunner.query(`CREATE INDEX "idx_sessions_subject_created" ON "sessions"  ("subject", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_sessions_subject_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_sessions_idle_expires"`);
        await queryRunner.query(`DROP INDEX "public"."idx_sessions_absolute_expires"`);
        await queryRunner.query(`DROP INDEX "public"."uq_sessions_token_hash"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
    }

}
