/** `readme` with the text between the `start` and `end` markers replaced by `body`; throws when a marker is missing. */
export function withSection(readme: string, start: string, end: string, body: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README.md lacks the markers ${start.trim()} ... ${end}`);
  return readme.slice(0, from + start.length) + body + readme.slice(to);
}
