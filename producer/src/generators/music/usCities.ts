/**
 * A small table of US cities to place simulated users (Eventsim draws a ZIP code
 * weighted by population and reports its place name, state, latitude and longitude).
 * `zipPrefix` is the city's 3-digit ZIP prefix; `population` (thousands, approximate)
 * is the draw weight; `lat`/`lon` are the city centre.
 */
export interface UsCity {
  city: string;
  state: string;
  zipPrefix: string;
  lat: number;
  lon: number;
  population: number;
}

const ROWS: ReadonlyArray<readonly [string, string, string, number, number, number]> = [
  ['New York', 'NY', '100', 40.7128, -74.006, 8300],
  ['Los Angeles', 'CA', '900', 34.0522, -118.2437, 3900],
  ['Chicago', 'IL', '606', 41.8781, -87.6298, 2700],
  ['Houston', 'TX', '770', 29.7604, -95.3698, 2300],
  ['Phoenix', 'AZ', '850', 33.4484, -112.074, 1600],
  ['Philadelphia', 'PA', '191', 39.9526, -75.1652, 1600],
  ['San Antonio', 'TX', '782', 29.4241, -98.4936, 1450],
  ['San Diego', 'CA', '921', 32.7157, -117.1611, 1400],
  ['Dallas', 'TX', '752', 32.7767, -96.797, 1300],
  ['San Jose', 'CA', '951', 37.3382, -121.8863, 1000],
  ['Austin', 'TX', '787', 30.2672, -97.7431, 960],
  ['Jacksonville', 'FL', '322', 30.3322, -81.6557, 950],
  ['Fort Worth', 'TX', '761', 32.7555, -97.3308, 920],
  ['Columbus', 'OH', '432', 39.9612, -82.9988, 900],
  ['Indianapolis', 'IN', '462', 39.7684, -86.1581, 880],
  ['Charlotte', 'NC', '282', 35.2271, -80.8431, 870],
  ['San Francisco', 'CA', '941', 37.7749, -122.4194, 870],
  ['Seattle', 'WA', '981', 47.6062, -122.3321, 740],
  ['Denver', 'CO', '802', 39.7392, -104.9903, 720],
  ['Washington', 'DC', '200', 38.9072, -77.0369, 690],
  ['Boston', 'MA', '021', 42.3601, -71.0589, 690],
  ['El Paso', 'TX', '799', 31.7619, -106.485, 680],
  ['Nashville', 'TN', '372', 36.1627, -86.7816, 670],
  ['Detroit', 'MI', '482', 42.3314, -83.0458, 670],
  ['Oklahoma City', 'OK', '731', 35.4676, -97.5164, 650],
  ['Portland', 'OR', '972', 45.5152, -122.6784, 650],
  ['Las Vegas', 'NV', '891', 36.1699, -115.1398, 640],
  ['Memphis', 'TN', '381', 35.1495, -90.049, 650],
  ['Louisville', 'KY', '402', 38.2527, -85.7585, 620],
  ['Baltimore', 'MD', '212', 39.2904, -76.6122, 600],
  ['Milwaukee', 'WI', '532', 43.0389, -87.9065, 590],
  ['Albuquerque', 'NM', '871', 35.0844, -106.6504, 560],
  ['Tucson', 'AZ', '857', 32.2226, -110.9747, 540],
  ['Fresno', 'CA', '937', 36.7378, -119.7871, 530],
  ['Sacramento', 'CA', '958', 38.5816, -121.4944, 500],
  ['Atlanta', 'GA', '303', 33.749, -84.388, 500],
  ['Kansas City', 'MO', '641', 39.0997, -94.5786, 490],
  ['Miami', 'FL', '331', 25.7617, -80.1918, 470],
  ['Raleigh', 'NC', '276', 35.7796, -78.6382, 470],
  ['Omaha', 'NE', '681', 41.2565, -95.9345, 470],
  ['Minneapolis', 'MN', '554', 44.9778, -93.265, 420],
  ['Tulsa', 'OK', '741', 36.154, -95.9928, 400],
  ['Tampa', 'FL', '336', 27.9506, -82.4572, 400],
  ['New Orleans', 'LA', '701', 29.9511, -90.0715, 390],
  ['Cleveland', 'OH', '441', 41.4993, -81.6944, 380],
  ['Honolulu', 'HI', '968', 21.3069, -157.8583, 350],
  ['Newark', 'NJ', '071', 40.7357, -74.1724, 310],
  ['Pittsburgh', 'PA', '152', 40.4406, -79.9959, 300],
  ['St. Louis', 'MO', '631', 38.627, -90.1994, 300],
  ['Anchorage', 'AK', '995', 61.2181, -149.9003, 290],
  ['Boise', 'ID', '837', 43.615, -116.2023, 230],
  ['Des Moines', 'IA', '503', 41.5868, -93.625, 210],
  ['Salt Lake City', 'UT', '841', 40.7608, -111.891, 200],
  ['Birmingham', 'AL', '352', 33.5186, -86.8104, 200],
  ['Little Rock', 'AR', '722', 34.7465, -92.2896, 200],
  ['Providence', 'RI', '029', 41.824, -71.4128, 190],
  ['Sioux Falls', 'SD', '571', 43.5446, -96.7311, 190],
  ['Jackson', 'MS', '392', 32.2988, -90.1848, 150],
  ['Columbia', 'SC', '292', 34.0007, -81.0348, 140],
  ['Hartford', 'CT', '061', 41.7658, -72.6734, 120],
  ['Fargo', 'ND', '581', 46.8772, -96.7898, 120],
  ['Manchester', 'NH', '031', 42.9956, -71.4548, 110],
  ['Billings', 'MT', '591', 45.7833, -108.5007, 110],
  ['Portland', 'ME', '041', 43.6591, -70.2568, 70],
  ['Wilmington', 'DE', '198', 39.7391, -75.5398, 70],
  ['Cheyenne', 'WY', '820', 41.14, -104.8202, 60],
  ['Charleston', 'WV', '253', 38.3498, -81.6326, 50],
  ['Burlington', 'VT', '054', 44.4759, -73.2121, 40],
];

export const usCities: readonly UsCity[] = ROWS.map(([city, state, zipPrefix, lat, lon, population]) => ({
  city,
  state,
  zipPrefix,
  lat,
  lon,
  population,
}));

/** Running total of city populations, for population-weighted picks. */
export const usCityCumulative: Float64Array = (() => {
  const out = new Float64Array(usCities.length);
  let total = 0;
  usCities.forEach((c, i) => {
    total += c.population;
    out[i] = total;
  });
  return out;
})();
