/**
 * Whether `value` is the standard base64 of exactly `bytes` bytes (a digest), padding included.
 * A header that is not even this shape cannot carry a valid signature, so it is refused before the
 * body is read.
 */
export function isBase64Digest(value: string, bytes: number): boolean {
  const chars = Math.ceil(bytes / 3) * 4;
  const padding = (3 - (bytes % 3)) % 3;
  const shape = new RegExp(`^[A-Za-z0-9+/]{${chars - padding}}={${padding}}$`);
  return shape.test(value);
}
