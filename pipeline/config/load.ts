import { z } from 'zod';
import { ConfigError } from '../errors';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables once, at start. A schema is an object whose keys are
 * the variable names, so a failure names exactly the setting the operator has to fix.
 * Empty strings count as unset: `FOO=` in a compose file means "use the default".
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const setting = issue.path.length > 0 ? issue.path.map(String).join('.') : 'configuration';
    const given = typeof input[setting] === 'string' ? ` (got ${JSON.stringify(input[setting])})` : '';
    throw new ConfigError(setting, `${issue.message}${given}`);
  }
  return result.data;
}

/** Reusable field parsers for env strings. */
export const envInt = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int('must be a whole number').min(min).max(max).default(def);

export const envNumber = (def: number, min = 0, max = Number.MAX_VALUE) =>
  z.coerce.number().min(min).max(max).default(def);

export const envBool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? def : v === 'true' || v === '1' || v === 'yes'));

export const envList = (def: readonly string[]) =>
  z
    .string()
    .default(def.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    );
