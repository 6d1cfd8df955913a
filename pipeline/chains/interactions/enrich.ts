import type { EnrichMeta } from '../../core';
import type { ProcessingContext } from '../types';
import { timeFacets } from '../../enrich';
import type { TimeFacets } from '../../enrich';
import { qualityOf, type Quality } from '../fieldDefects';
import type { InteractionEvent, InteractionType } from './schema';

export interface InteractionDocument extends TimeFacets {
  event_id: string;
  event_type: InteractionType;
  user_id: number;
  page_id: number;
  /** The original "YYYY-MM-DD HH:MM:SS" (UTC), kept beside the ISO time. */
  timestamp: string;
  event_time: string;
  ingested_at: string;
  is_purchase: boolean;
  /** The purchase amount, in `currency`; absent on other events. */
  revenue?: number;
  amount?: number;
  currency?: string;
  query?: string;
  quality: Quality;
  source: EnrichMeta['source'];
}

export const INTERACTIONS_DIALECT = 'interactions';

export function enrichInteraction(raw: InteractionEvent, meta: EnrichMeta, ctx: ProcessingContext): InteractionDocument {
  const isPurchase = raw.event_type === 'purchase';
  const doc: InteractionDocument = {
    event_id: meta.eventId,
    event_type: raw.event_type,
    user_id: raw.user_id,
    page_id: raw.page_id,
    timestamp: raw.timestamp,
    event_time: new Date(meta.eventTimeMs).toISOString(),
    ingested_at: new Date(ctx.nowMs).toISOString(),
    is_purchase: isPurchase,
    ...timeFacets(meta.eventTimeMs),
    quality: qualityOf(INTERACTIONS_DIALECT, [raw.query.defect]),
    source: meta.source,
  };
  if (raw.amount !== undefined) doc.amount = raw.amount;
  if (raw.currency !== undefined) doc.currency = raw.currency;
  if (isPurchase && raw.amount !== undefined) doc.revenue = raw.amount;
  const query = raw.query.value?.trim();
  if (query) doc.query = query;
  return doc;
}
