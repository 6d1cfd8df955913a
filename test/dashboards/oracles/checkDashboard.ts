import type { SavedObject } from '../../../dashboards/types';
import { isRecord, parseJson } from './json';
import { objectLabel } from './objectLabel';

export function checkDashboard(o: SavedObject): string[] {
  const problems: string[] = [];
  if (typeof o.attributes.title !== 'string' || o.attributes.title === '') problems.push(`${objectLabel(o)}: attributes.title is missing`);
  const panels = parseJson(o.attributes.panelsJSON);
  if (!Array.isArray(panels)) return [...problems, `${objectLabel(o)}: panelsJSON is not a JSON array string`];
  if (o.attributes.optionsJSON !== undefined && !isRecord(parseJson(o.attributes.optionsJSON))) {
    problems.push(`${objectLabel(o)}: optionsJSON is not a JSON object string`);
  }
  const indexes = new Set<string>();
  const boxes: Array<{ i: string; x: number; y: number; w: number; h: number }> = [];
  panels.forEach((p: unknown, n) => {
    const at = `${objectLabel(o)}: panel ${n}`;
    if (!isRecord(p)) return void problems.push(`${at}: not an object`);
    if (typeof p.panelRefName !== 'string') problems.push(`${at}: panelRefName is missing`);
    else if (!o.references.some((r) => r.name === p.panelRefName)) problems.push(`${at}: panelRefName "${p.panelRefName}" has no reference of that name`);
    if (typeof p.panelIndex !== 'string' || indexes.has(p.panelIndex)) problems.push(`${at}: panelIndex must be a unique string`);
    else indexes.add(p.panelIndex);
    // Panels without a version (or older than 7.3) are re-migrated by the browser on every load.
    if (typeof p.version !== 'string') problems.push(`${at}: version is missing`);
    const g = p.gridData;
    if (!isRecord(g) || ![g.x, g.y, g.w, g.h].every((v) => Number.isInteger(v) && (v as number) >= 0) || g.i !== p.panelIndex) {
      problems.push(`${at}: gridData needs whole x, y, w, h and i equal to panelIndex`);
      return;
    }
    const box = { i: String(g.i), x: g.x as number, y: g.y as number, w: g.w as number, h: g.h as number };
    if (box.w === 0 || box.h === 0 || box.x + box.w > 48) problems.push(`${at}: gridData must fit the 48-column grid with a non-zero size`);
    const overlap = boxes.find((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h);
    if (overlap) problems.push(`${at}: overlaps panel ${overlap.i}`);
    boxes.push(box);
  });
  const used = new Set(panels.filter(isRecord).map((p) => p.panelRefName));
  for (const ref of o.references) {
    if (ref.name.startsWith('panel_') && !used.has(ref.name)) problems.push(`${objectLabel(o)}: reference "${ref.name}" is not used by any panel`);
  }
  return problems;
}
