import type { SavedObject } from '../../../dashboards/types';
import { isRecord } from './json';
import { objectLabel } from './objectLabel';
import { parseVisState } from './parseVisState';

/** Interpolations that draw only the data: smoothing (`cardinal`) overshoots between points. */
const HONEST_INTERPOLATIONS = new Set(['linear', 'step-after']);
const LINE_TYPES = new Set(['line', 'area']);

/**
 * What a reader sees wrong without any query failing:
 * - a line or area chart over time or hour of day must draw empty intervals as zeros, not
 *   as a straight line from the last interval with data to the next: a date_histogram x
 *   axis needs `min_doc_count: 0`, a histogram x axis "show empty buckets"
 *   (`min_doc_count: true`) with extended bounds, and the series an interpolation that
 *   does not invent values between points;
 * - a pie or donut must not put labels outside its slices, where a small panel cuts them
 *   off: slice labels off (`labels.show: false`), names in the legend, values in the tooltip.
 * Returns the problems, each naming the object; empty when every panel reads well.
 */
export function checkReadability(objects: readonly SavedObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    if (o.type !== 'visualization') continue;
    const vis = parseVisState(o);
    const where = objectLabel(o);
    if (LINE_TYPES.has(vis.type)) {
      for (const agg of vis.aggs.filter((a) => a.enabled !== false && a.schema === 'segment')) {
        const p = agg.params ?? {};
        if (agg.type === 'date_histogram' && p.min_doc_count !== 0) {
          problems.push(`${where}: x axis date_histogram has min_doc_count ${JSON.stringify(p.min_doc_count)}; set 0 so empty intervals show as zeros, not as a straight line across them`);
        }
        if (agg.type === 'histogram') {
          if (p.min_doc_count !== true) problems.push(`${where}: x axis histogram does not show empty buckets; set min_doc_count true`);
          const b = p.extended_bounds;
          if (p.has_extended_bounds !== true || !isRecord(b) || typeof b.min !== 'number' || typeof b.max !== 'number') {
            problems.push(`${where}: x axis histogram has no extended bounds; set has_extended_bounds and extended_bounds {min, max} so the axis covers its whole range`);
          }
        }
      }
      const series = Array.isArray(vis.params.seriesParams) ? vis.params.seriesParams.filter(isRecord) : [];
      if (series.length === 0) problems.push(`${where}: no seriesParams; the chart type is left to defaults`);
      for (const s of series) {
        const interpolate = s.interpolate ?? 'linear';
        if (typeof interpolate !== 'string' || !HONEST_INTERPOLATIONS.has(interpolate)) {
          problems.push(`${where}: series ${JSON.stringify(isRecord(s.data) ? s.data.label : '?')} interpolates ${JSON.stringify(interpolate)}, which draws values between points that are not in the data`);
        }
      }
    }
    if (vis.type === 'pie') {
      const labels = isRecord(vis.params.labels) ? vis.params.labels : {};
      if (labels.show !== false) problems.push(`${where}: pie shows slice labels, which are cut off at the panel's edge; set labels.show false and let the legend name the slices`);
      if (vis.params.addLegend !== true) problems.push(`${where}: pie has no legend, so nothing names its slices`);
    }
  }
  return problems;
}
