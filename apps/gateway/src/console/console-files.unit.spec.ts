import { join } from 'node:path';
import { CONSOLE_CSP, consoleTarget, contentTypeOf } from './console-files';

describe('the console files the gateway serves', () => {
  const dir = '/srv/console';

  it('serves files under assets/ and index.html for every other path (the SPA routes)', () => {
    expect(consoleTarget(dir, 'assets/index-AbC123.js')).toEqual({ kind: 'asset', file: join(dir, 'assets/index-AbC123.js') });
    expect(consoleTarget(dir, '')).toEqual({ kind: 'index' });
    expect(consoleTarget(dir, 'platforms/1234')).toEqual({ kind: 'index' });
    expect(consoleTarget(dir, 'index.html')).toEqual({ kind: 'index' });
  });

  it('refuses any way out of the folder', () => {
    for (const path of ['../etc/passwd', 'assets/../../etc/passwd', 'assets/..', 'assets/', 'assets', './x', 'assets\\..\\x', 'a\0b', 'platforms/../..']) {
      const target = consoleTarget(dir, path);
      if (path === 'assets/' || path === 'assets') expect(target.kind).toBe('refused');
      else expect(target).toEqual({ kind: 'refused' });
    }
  });

  it('types the files by their extension', () => {
    expect(contentTypeOf('a.js')).toBe('application/javascript; charset=utf-8');
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });

  it('allows no inline script and no framing', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });
});
