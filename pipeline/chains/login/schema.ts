import { z } from 'zod';

/**
 * The Fetch take-home's login event, quirks accepted as emitted:
 * - `timestamp` is epoch seconds, sometimes as a numeric string ("1694479551");
 * - `device_type` is missing in ~5% of messages and becomes "unknown";
 * - `locale` is really a US state code, kept under its original name.
 * Unknown extra keys are ignored (they stay in the raw topic); size limits stop one
 * oversized field from bloating the index.
 */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);

const epochSeconds = z
  .union([
    z.number().int('must be whole epoch seconds'),
    z.string().regex(/^\d{1,12}$/, 'must be epoch seconds').transform(Number),
  ])
  .pipe(z.number().int());

export const loginEventSchema = z.object({
  user_id: text(128),
  app_version: z.string().regex(/^\d{1,6}\.\d{1,6}(\.\d{1,6})?$/, 'must be a version like 2.3.0'),
  ip: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }),
  locale: text(64),
  device_id: text(128),
  timestamp: epochSeconds,
  device_type: text(32).optional().default('unknown'),
  user_agent: z.string().max(1024, 'longer than 1024 characters').optional(),
});

export type LoginEvent = z.infer<typeof loginEventSchema>;
