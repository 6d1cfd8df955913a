export { generateProfiles } from './generateProfiles';
export { randomUser, type RandomUser } from './randomUser';
export { NATIONALITIES, NATIONALITY_CODES, type Nationality } from './nationalities';
