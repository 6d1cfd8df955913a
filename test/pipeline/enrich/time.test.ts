import { timeFacets } from '../../../pipeline/enrich';

describe('timeFacets', () => {
  it('describes a known Saturday in UTC as ISO weekday 6, a weekend', () => {
    // 2024-06-15 was a Saturday.
    expect(timeFacets(Date.UTC(2024, 5, 15, 13, 45, 10))).toEqual({ hour_of_day: 13, weekday: 6, weekday_name: 'Saturday', is_weekend: true });
  });

  it('numbers Sunday 7 and Monday 1, as ISO 8601 does', () => {
    expect(timeFacets(Date.UTC(2024, 5, 16, 0, 0, 0))).toMatchObject({ weekday: 7, weekday_name: 'Sunday', is_weekend: true, hour_of_day: 0 });
    expect(timeFacets(Date.UTC(2024, 5, 17, 23, 59, 59))).toMatchObject({ weekday: 1, weekday_name: 'Monday', is_weekend: false, hour_of_day: 23 });
  });

  it('uses UTC, whatever the local zone of the process', () => {
    // Friday 23:30 UTC is already Saturday east of UTC; the facets must still say Friday.
    expect(timeFacets(Date.UTC(2024, 5, 14, 23, 30))).toMatchObject({ weekday: 5, weekday_name: 'Friday', is_weekend: false, hour_of_day: 23 });
  });
});
