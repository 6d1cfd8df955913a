import { chainIndex, date, geoPoint, integer, keyword, longKeyword, qualityMapping, short, sourceFields } from '../mappings';
import { ChainName, type IndexFacet } from '../types';
import { profilesTopics } from './topics';

/** One document per user (the id is `login.uuid`); no credential field exists in it. */
export const profilesIndexing: IndexFacet = {
  ...profilesTopics,
  index: chainIndex(ChainName.PROFILES, {
    event_id: keyword,
    user_id: keyword,
    username: keyword,
    gender: keyword,
    name: { properties: { title: keyword, first: keyword, last: keyword } },
    email: keyword,
    phone: keyword,
    cell: keyword,
    nationality: keyword,
    location: {
      properties: {
        country: keyword,
        state: keyword,
        city: keyword,
        street: { properties: { number: integer, name: keyword } },
        postcode: keyword,
        coordinates: geoPoint,
        timezone: { properties: { offset: keyword, description: keyword } },
      },
    },
    dob: { properties: { date, age: short } },
    age_bracket: keyword,
    registered: { properties: { date, age: short, year: short } },
    national_id: { properties: { name: keyword, value: keyword } },
    picture: { properties: { large: longKeyword, medium: longKeyword, thumbnail: longKeyword } },
    event_time: date,
    ingested_at: date,
    quality: qualityMapping,
    source: sourceFields,
  }),
};
