import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1). A dummy hash is verified for
 * unknown accounts so response time does not reveal which emails are registered.
 */
@Injectable()
export class PasswordHasher {
  private readonly options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    this.dummy ??= this.hash('not-a-real-password-for-timing');
    try {
      const ok = await argon2.verify(hash ?? (await this.dummy), password);
      return hash !== undefined && ok;
    } catch {
      return false;
    }
  }
}
