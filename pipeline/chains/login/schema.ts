import { isIP } from 'node:net';
import { z } from 'zod';
import { kept } from '../fieldDefects';
import { epochSeconds } from './timestamp';

/**
 * The Fetch take-home's login event, quirks accepted as emitted:
 * - `timestamp` is epoch seconds, sometimes as a numeric string ("1694479551");
 * - `device_type` is missing in ~5% of messages and becomes "unknown";
 * - `locale` is really a US state code, kept under its original name.
 * Only what makes a login unusable fails the record: no user, no device, no time. The other
 * fields are `kept`: a bad one is left out of the document and named in `quality.defects`.
 * Unknown extra keys are ignored (they stay in the raw topic); size limits stop one
 * oversized field from bloating the index.
 */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);

export const loginEventSchema = z.object({
  user_id: text(128),
  device_id: text(128),
  timestamp: epochSeconds,
  app_version: kept('app_version', text(32)),
  ip: kept('ip', z.string().trim().refine((s) => isIP(s) !== 0), { invalid: 'ip_unparseable' }),
  locale: kept('locale', text(64)),
  device_type: kept('device_type', text(32)),
  user_agent: kept('user_agent', z.string().trim().max(1024), { optional: true }),
});

export type LoginEvent = z.infer<typeof loginEventSchema>;
