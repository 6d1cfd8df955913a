import { z } from 'zod';

/**
 * A field whose defect keeps the event: its valid value, or the defect code that left it
 * (and what is enriched from it) empty. Both absent: an optional field that was not sent.
 */
export interface Kept<T> {
  readonly value?: T;
  readonly defect?: string;
}

export interface KeptOptions {
  /** Code for a present but unusable value; `<field>_invalid` by default. */
  readonly invalid?: string;
  /** The source may leave the field out: then absence is no defect. */
  readonly optional?: boolean;
}

/**
 * Validates one field without failing the record: the event is still usable without it,
 * so a defect is recorded (`<field>_missing`, `<field>_invalid`) instead of dead-lettering.
 */
export function kept<T>(field: string, schema: z.ZodType<T>, options: KeptOptions = {}) {
  return z.unknown().optional().transform((v): Kept<T> => {
    if (v === undefined || v === null) return options.optional ? {} : { defect: `${field}_missing` };
    const r = schema.safeParse(v);
    return r.success ? { value: r.data } : { defect: options.invalid ?? `${field}_invalid` };
  });
}

/** What a document says about its own fidelity (mapped as `quality` in every template). */
export interface Quality {
  /** The source shape the event came in. */
  dialect: string;
  /** Fields kept but left empty or unenriched; absent when none. */
  defects?: string[];
  /** Normalisations applied to accepted input; absent when none. */
  normalized?: string[];
}

export function qualityOf(dialect: string, defects: readonly (string | undefined)[], normalized: readonly string[] = []): Quality {
  const q: Quality = { dialect };
  const d = defects.filter((x): x is string => x !== undefined);
  if (d.length > 0) q.defects = d;
  if (normalized.length > 0) q.normalized = [...normalized];
  return q;
}
