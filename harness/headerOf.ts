import type { Message } from '@confluentinc/kafka-javascript';

/** A record header's value as a string (the first of that name). */
export function headerOf(m: Message, key: string): string | undefined {
  for (const h of m.headers ?? []) if (h[key] !== undefined) return h[key]!.toString();
  return undefined;
}
