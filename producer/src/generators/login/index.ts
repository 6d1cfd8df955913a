export { generateLogins, LOGIN_SHAPES, type LoginShape } from './generateLogins';
export { loginUsers } from './userLogins';
export { APP_RELEASES } from './loginTraits';
export { COUNTRY_BLOCKS, type CountryBlocks } from './countryBlocks';
