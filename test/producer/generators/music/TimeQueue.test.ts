import { TimeQueue } from '../../../../producer/src/generators/music/TimeQueue';

describe('TimeQueue', () => {
  it('pops in ts order, ties by id, whatever the push order', () => {
    const q = new TimeQueue<{ ts: number; id: number }>();
    const items = [
      { ts: 5, id: 2 },
      { ts: 1, id: 9 },
      { ts: 5, id: 1 },
      { ts: 3, id: 4 },
      { ts: 1, id: 3 },
      { ts: 8, id: 0 },
    ];
    for (const item of items) q.push(item);
    expect(q.size).toBe(6);
    expect(q.peek()).toEqual({ ts: 1, id: 3 });
    const out: Array<[number, number]> = [];
    for (let item = q.pop(); item !== undefined; item = q.pop()) out.push([item.ts, item.id]);
    expect(out).toEqual([
      [1, 3],
      [1, 9],
      [3, 4],
      [5, 1],
      [5, 2],
      [8, 0],
    ]);
    expect(q.pop()).toBeUndefined();
  });
});
