import { readFileSync } from 'node:fs';
import { API_CATALOG_PATH, renderApiCatalog } from './api-docs';

it('docs/api-catalog.md is what the catalog says (run `npm run docs` after changing it)', () => {
  expect(readFileSync(API_CATALOG_PATH, 'utf8')).toBe(renderApiCatalog() + '\n');
});
