import { FlowChange, FlowControl } from '../../../../pipeline/kafka/consumer';

/** The backpressure state machine alone: no client, no clock. */
describe('FlowControl', () => {
  it('holds from maxInFlight on and says so once', () => {
    const f = new FlowControl(100);
    expect(f.update(99)).toBeUndefined();
    expect(f.paused).toBe(false);
    expect(f.update(100)).toEqual({ change: FlowChange.PAUSED, resumeFetch: false });
    expect(f.paused).toBe(true);
    expect(f.waitingForAcks).toBe(true);
    expect(f.update(130)).toBeUndefined();
  });

  it('resumes only at half of maxInFlight', () => {
    const f = new FlowControl(100);
    f.update(100);
    expect(f.canResume(51)).toBe(false);
    expect(f.update(51)).toBeUndefined();
    expect(f.paused).toBe(true);
    expect(f.canResume(50)).toBe(true);
    expect(f.update(50)).toEqual({ change: FlowChange.RESUMED, resumeFetch: false });
    expect(f.paused).toBe(false);
    expect(f.canResume(0)).toBe(false);
  });

  it('pauses the fetch only while holding, and asks for it to be resumed with the hold', () => {
    const f = new FlowControl(100);
    expect(f.pauseFetch()).toBe(false);
    expect(f.fetchPaused).toBe(false);
    f.update(100);
    expect(f.pauseFetch()).toBe(true);
    expect(f.fetchPaused).toBe(true);
    expect(f.waitingForAcks).toBe(false);
    expect(f.update(50)).toEqual({ change: FlowChange.RESUMED, resumeFetch: true });
    expect(f.fetchPaused).toBe(false);
    // The next hold starts by waiting for acks again.
    f.update(100);
    expect(f.waitingForAcks).toBe(true);
    expect(f.update(10)).toEqual({ change: FlowChange.RESUMED, resumeFetch: false });
  });
});
