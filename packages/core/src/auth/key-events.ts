type Listener = (keyId: string) => void;
const listeners = new Set<Listener>();

/** Subscribe to key changes made in this process (revoke, secret or policy change). Returns an unsubscribe. */
export function onKeyChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Announces that a key changed, so in-process caches drop it at once. */
export function keyChanged(keyId: string): void {
  for (const listener of listeners) listener(keyId);
}
