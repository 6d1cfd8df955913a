export const FlowChange = {
  PAUSED: 'paused',
  RESUMED: 'resumed',
} as const;
export type FlowChange = (typeof FlowChange)[keyof typeof FlowChange];

export interface FlowUpdate {
  readonly change: FlowChange;
  /** Resuming after `pauseFetch()`: the partitions must be resumed in the client too. */
  readonly resumeFetch: boolean;
}

/**
 * Backpressure as a state machine over the number of unfinished records, with no client
 * and no clock: the consumer asks it and carries out what it says.
 *
 * No records are taken from `maxInFlight` unfinished ones on, until half of them are
 * finished. Such a hold first just stops polling, which keeps what librdkafka prefetched;
 * only when acks have not come for a while (`pauseFetch()`, after pauseFetchAfterMs) are
 * the partitions paused too, which drops that prefetch while polling goes on.
 */
export class FlowControl {
  private holding = false;
  private fetchHeld = false;

  constructor(private readonly maxInFlight: number) {}

  /** Not taking records. */
  get paused(): boolean {
    return this.holding;
  }

  /** The partitions are paused in the client too. */
  get fetchPaused(): boolean {
    return this.fetchHeld;
  }

  /** Holding, and still waiting for acks rather than polling the paused partitions. */
  get waitingForAcks(): boolean {
    return this.holding && !this.fetchHeld;
  }

  /** Acks brought the unfinished records low enough to take records again. */
  canResume(inFlight: number): boolean {
    return this.holding && inFlight <= this.maxInFlight / 2;
  }

  /** Enters or leaves the hold; undefined when nothing changes. */
  update(inFlight: number): FlowUpdate | undefined {
    if (!this.holding && inFlight >= this.maxInFlight) {
      this.holding = true;
      return { change: FlowChange.PAUSED, resumeFetch: false };
    }
    if (this.canResume(inFlight)) {
      const resumeFetch = this.fetchHeld;
      this.holding = false;
      this.fetchHeld = false;
      return { change: FlowChange.RESUMED, resumeFetch };
    }
    return undefined;
  }

  /** The wait for acks lasted too long: the partitions get paused. Only while holding. */
  pauseFetch(): boolean {
    if (!this.holding) return false;
    this.fetchHeld = true;
    return true;
  }
}
