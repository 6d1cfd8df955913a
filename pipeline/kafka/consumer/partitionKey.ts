export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
