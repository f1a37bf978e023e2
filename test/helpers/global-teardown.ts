export default async function globalTeardown(): Promise<void> {
  (globalThis as { __hookportPg?: { destroy(): void } }).__hookportPg?.destroy();
}
