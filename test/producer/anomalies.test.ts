import { PartitionWindows, streamSpecs, type AlertDocument } from '../../pipeline/analytics';
import { loginAnalytics } from '../../pipeline/chains/login/analytics';
import { musicAnalytics } from '../../pipeline/chains/music/analytics';
import { musicProcessing } from '../../pipeline/chains/music/processing';
import { loginProcessing } from '../../pipeline/chains/login/processing';
import { loadConfig } from '../../pipeline/config';
import { processRecord } from '../../pipeline/core';
import { ConfigError } from '../../pipeline/errors';
import { IpMode } from '../../pipeline/enrich';
import { analyticsSettings } from '../../consumer-analytics/src/options';
import { injectAnomalies } from '../../producer/src/anomalies';
import { generateLogins } from '../../producer/src/generators/login';
import { generateMusic } from '../../producer/src/generators/music';

const START = Date.UTC(2026, 10, 2, 8, 0, 0);

describe('injected anomalies', () => {
  const options = { chain: 'login', loginBursts: 4, burstSize: 20, travels: 5, failedLogins: 0, every: 700, seed: 9 };

  it('are exactly the alerts the login rules raise over generated traffic with them mixed in', () => {
    const injection = injectAnomalies(generateLogins({ seed: 3, startTimeMs: START }), options);
    const settings = loadConfig(analyticsSettings, {});
    const { events } = streamSpecs('login', loginAnalytics.analytics, { aggregateSizesMs: [10_000, 60_000], allowedLatenessMs: 5_000, settings });
    const windows = new PartitionWindows(events, 0);
    const ctx = { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', nowMs: START + 86_400_000, maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3_600_000 };
    const alerts: AlertDocument[] = [];
    let injectedRecords = 0;
    for (let offset = 0; offset < 20_000; offset++) {
      const g = injection.records.next().value!;
      if (injection.isInjected(g)) injectedRecords++;
      const out = processRecord(loginProcessing, { topic: 'user-login', partition: 0, offset, key: null, value: g.value, headers: [] }, ctx, { maxRecordBytes: 65_536, filters: [] });
      if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
      injection.acked(g);
      const doc = out.document as unknown as Record<string, unknown>;
      alerts.push(...windows.add({ offset, eventTimeMs: Date.parse(doc['event_time'] as string), eventId: out.id, doc }).closed.flatMap((c) => c.alerts));
    }
    alerts.push(...windows.add({ offset: 1e9, eventTimeMs: START + 86_400_000, eventId: 'end', doc: {} }).closed.flatMap((c) => c.alerts));
    const injected = injection.injected();
    expect(injected.filter((a) => a.rule === 'login_burst')).toHaveLength(4);
    expect(injected.filter((a) => a.rule === 'impossible_travel')).toHaveLength(5);
    expect(injectedRecords).toBe(4 * 20 + 5 * 2);
    expect(alerts.map((a) => `${a.rule} ${a.key}`).sort()).toEqual(injected.map((a) => `${a.rule} ${a.key}`).sort());
    for (const a of alerts.filter((x) => x.rule === 'impossible_travel')) {
      const i = injected.find((x) => x.key === a.key)!;
      expect([a.evidence.from?.place, a.evidence.to?.place]).toEqual(i.countries);
    }
  });

  it('lists only anomalies whose every record was acknowledged', () => {
    const injection = injectAnomalies(generateLogins({ seed: 3, startTimeMs: START }), { ...options, loginBursts: 1, travels: 0, every: 10 });
    const records = Array.from({ length: 40 }, () => injection.records.next().value!);
    const burst = records.filter(injection.isInjected);
    expect(burst).toHaveLength(20);
    burst.slice(1).forEach(injection.acked);
    expect(injection.injected()).toEqual([]);
    injection.acked(burst[0]!);
    expect(injection.injected()).toEqual([{ rule: 'login_burst', key: 'anomaly-burst-9-0', event_time: expect.any(String), logins: 20 }]);
  });

  it('are refused for chains without these rules', () => {
    expect(() => injectAnomalies(generateLogins({ seed: 1, startTimeMs: START }), { ...options, chain: 'music' })).toThrow(ConfigError);
  });
});

describe('injected dead-letter spikes', () => {
  it('are dead letters with one record time each, and exactly the windows the share rule raises', () => {
    // Record time: a login every 100 ms on a fake wall clock (600 a minute); a spike takes the clock's time.
    let clock = START;
    const injection = injectAnomalies(generateLogins({ seed: 4, startTimeMs: START }), {
      chain: 'login', loginBursts: 0, burstSize: 20, travels: 0, failedLogins: 0, every: 3000, seed: 6, deadLetterSpikes: 3, spikeSize: 40, now: () => clock,
    });
    // 40 dead letters among ~600 processed records of a minute are 6.25 %: above 5 %.
    const settings = { ...loadConfig(analyticsSettings, {}), ALERT_DEAD_LETTER_SHARE_PERCENT: 5 };
    const { deadLetters } = streamSpecs('login', loginAnalytics.analytics, { aggregateSizesMs: [], allowedLatenessMs: 0, recordLatenessMs: 5_000, settings });
    const windows = new PartitionWindows(deadLetters, 0);
    const ctx = { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', nowMs: START + 86_400_000, maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3_600_000 };
    const alerts: AlertDocument[] = [];
    let dead = 0;
    for (let offset = 0; offset < 12_000; offset++) {
      const g = injection.records.next().value!;
      const out = processRecord(loginProcessing, { topic: 'user-login', partition: 0, offset, key: null, value: g.value, headers: [] }, ctx, { maxRecordBytes: 65_536, filters: [] });
      expect([g.malformedKind, out.kind]).toEqual(g.malformedKind ? ['dead_letter_spike', 'dead'] : [undefined, 'ok']);
      if (out.kind === 'dead') dead++;
      injection.acked(g);
      const t = g.timestampMs ?? (clock += 100);
      alerts.push(...windows.add({ offset, eventTimeMs: t, eventId: String(offset), doc: {}, deadLetter: out.kind === 'dead' }).closed.flatMap((c) => c.alerts));
    }
    alerts.push(...windows.add({ offset: 1e9, eventTimeMs: clock + 86_400_000, eventId: 'end', doc: {} }).closed.flatMap((c) => c.alerts));
    const injected = injection.injected();
    expect(injected.map((a) => [a.rule, a.dead_letters])).toEqual([['dead_letter_spike', 40], ['dead_letter_spike', 40], ['dead_letter_spike', 40]]);
    expect(dead).toBe(120);
    const windowOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();
    expect(alerts.map((a) => [a.rule, a.key, a.window.start, a.evidence.count])).toEqual(injected.map((i) => ['dead_letter_spike', 'p0', windowOf(i.event_time), 40]));
  });
});

describe('injected failed logins (music)', () => {
  it('are exactly the failed-login bursts the music rule raises over simulated traffic with them mixed in', () => {
    const injection = injectAnomalies(generateMusic({ seed: 5, startTimeMs: START }), {
      chain: 'music',
      loginBursts: 0,
      travels: 0,
      failedLogins: 4,
      burstSize: 8,
      every: 900,
      seed: 2,
      authTopic: 'auth_events',
    });
    const settings = loadConfig(analyticsSettings, {});
    const { events } = streamSpecs('music', musicAnalytics.analytics, { aggregateSizesMs: [60_000], allowedLatenessMs: 3_600_000, settings });
    const windows = new PartitionWindows(events, 0);
    const ctx = { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', nowMs: START + 86_400_000, maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3_600_000 };
    const alerts: AlertDocument[] = [];
    for (let offset = 0; offset < 8000; offset++) {
      const g = injection.records.next().value!;
      const out = processRecord(musicProcessing, { topic: g.topic, partition: 0, offset, key: null, value: g.value, headers: [] }, ctx, { maxRecordBytes: 65_536, filters: [] });
      if (out.kind !== 'ok') throw new Error(`${g.topic} ${g.value?.toString()}: ${JSON.stringify(out)}`);
      injection.acked(g);
      const doc = out.document as unknown as Record<string, unknown>;
      alerts.push(...windows.add({ offset, eventTimeMs: Date.parse(doc['event_time'] as string), eventId: out.id, doc }).closed.flatMap((c) => c.alerts));
    }
    alerts.push(...windows.add({ offset: 1e9, eventTimeMs: START + 30 * 86_400_000, eventId: 'end', doc: {} }).closed.flatMap((c) => c.alerts));
    const injected = injection.injected();
    expect(injected).toHaveLength(4);
    expect(alerts.map((a) => `${a.rule} ${a.key} ${a.evidence.count}`).sort()).toEqual(injected.map((a) => `${a.rule} ${a.key} 8`).sort());
  });
});
