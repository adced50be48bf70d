import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified when the address has no account, so a wrong address takes as long as a wrong password.
const NO_ACCOUNT = hash('no account has this password');

/** Whether `password` is the one `passwordHash` was made from; no hash: always false, same cost. */
export async function passwordMatches(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    await verify(await NO_ACCOUNT, password);
    return false;
  }
  return verify(passwordHash, password);
}
