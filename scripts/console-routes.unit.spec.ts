import { readFileSync } from 'node:fs';
import { API_REGISTRY } from '@cp/contracts';
import { CONSOLE_ROUTES_FILE, consoleRoutesSource } from './console-routes';

describe('apps/console/src/api/routes.generated.ts', () => {
  it('is what scripts/console-routes.ts writes from the registry (run it after changing the registry)', () => {
    expect(readFileSync(CONSOLE_ROUTES_FILE, 'utf8')).toBe(consoleRoutesSource());
  });

  it('names every ZStack and /api/v1 API of the registry, with its wire, method, paths and access', () => {
    const source = consoleRoutesSource();
    for (const api of API_REGISTRY.filter((a) => a.wire !== 'bus')) {
      expect(source).toContain(`  ${api.name}: {"wire":"${api.wire}","method":"${(api as { method: string }).method}"`);
      expect(source).toMatch(new RegExp(`  ${api.name}: .*"access":"${api.access}"`));
    }
    expect(source).toContain('CreatePlatform: {"wire":"rest","method":"POST","path":"/platforms","bodyKey":"body","query":[]');
    expect(source).toContain('"paths":["/accounts","/accounts/{uuid}"],"query":true');
    // No server code in the browser bundle: only type imports.
    expect(source).not.toMatch(/^import (?!type )/m);
  });
});
