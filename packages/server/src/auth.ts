import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * A stored API key: a random salt and SHA-256(salt || key). API keys are 256-bit random strings, not
 * passwords people choose, so a fast salted hash is enough (a slow KDF such as scrypt protects low-entropy
 * secrets and would cost tens of milliseconds on every request); the plain key is never stored.
 */
export interface ApiKeyRecord {
  readonly id: string;
  readonly label: string;
  readonly salt: string;
  readonly hash: string;
}

const digest = (salt: string, key: string) =>
  createHash("sha256").update(Buffer.from(salt, "hex")).update(key, "utf8").digest();

/**
 * Hashes an API key with a fresh (or given) salt.
 * @example hashApiKey("vc_abc").hash.length // 64
 */
export function hashApiKey(key: string, label = "key", salt = randomBytes(16).toString("hex")): ApiKeyRecord {
  return { id: `key_${randomUUID().slice(0, 8)}`, label, salt, hash: digest(salt, key).toString("hex") };
}

/**
 * A new random API key ("vc_" + 43 base64url characters = 256 bits).
 * @example generateApiKey().startsWith("vc_") // true
 */
export function generateApiKey(): string {
  return `vc_${randomBytes(32).toString("base64url")}`;
}

/**
 * Checks a presented key against the stored records in constant time per record (every record is checked,
 * so timing does not tell which one matched).
 * @example verifyApiKey([hashApiKey("k")], "k") // true
 */
export function verifyApiKey(records: readonly ApiKeyRecord[], key: string | undefined): boolean {
  if (!key) return false;
  let ok = false;
  for (const r of records) {
    const expected = Buffer.from(r.hash, "hex");
    const got = digest(r.salt, key);
    if (expected.length === got.length && timingSafeEqual(expected, got)) ok = true;
  }
  return ok;
}

/**
 * The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 * @example presentedKey("Bearer vc_x", undefined) // "vc_x"
 */
export function presentedKey(
  authorization: string | undefined,
  xApiKey: string | undefined,
): string | undefined {
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return m?.[1] ?? (xApiKey?.trim() || undefined);
}
