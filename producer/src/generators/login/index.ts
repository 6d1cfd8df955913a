export { generateLogins, LOGIN_SHAPES, type LoginShape } from './generateLogins';
export { APP_RELEASES } from './loginTraits';
export { COUNTRY_BLOCKS, type CountryBlocks } from './countryBlocks';
