import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/**
 * Argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): about 20 ms per hash here, cheap for
 * one sign-in, ruinous for an offline guesser. Hashes are PHC strings, so parameters can be raised
 * later and old hashes still verify.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** Verified against when an account does not exist, so that both answers take as long. */
  private readonly decoy = argon2.hash('decoy password that matches nothing', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /** False for a wrong password and for a missing hash alike, in about the same time. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    if (hash === null) {
      await argon2.verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return argon2.verify(hash, password).catch(() => false);
  }
}
