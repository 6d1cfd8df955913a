import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { z } from 'zod';
import { ConfigError } from '../errors';

/**
 * Command-line flags to validated options, or 'help' for --help. node's parser checks the
 * flags themselves, the zod schema their values; either failure is a ConfigError naming the
 * flag, so the operator knows what to fix.
 */
export function parseFlags<S extends z.ZodType>(argv: readonly string[], options: ParseArgsOptionsConfig, schema: S): z.infer<S> | 'help' {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, options: { ...options, help: { type: 'boolean', default: false } } }));
  } catch (err) {
    // node names the flag in quotes: "Unknown option '--bogus'", "Option '--rate' argument is
    // ambiguous" (for `--rate -1`).
    const message = (err as Error).message;
    const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
    throw new ConfigError(flag ?? 'arguments', message);
  }
  if (values.help === true) return 'help';
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`--${issue.path.join('.')}`, issue.message);
  }
  return parsed.data;
}
