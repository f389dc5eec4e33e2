import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The console's pages and files: `/console`, `/console/*` (docs/console.md). */
export const CONSOLE_PATH = '/console';

/**
 * The console's Content-Security-Policy: everything from the gateway itself, no inline script, no
 * eval; inline styles allowed because Mantine sets style attributes (docs/decisions.md); data: images
 * and fonts for the CSS's icons; the page may only call its own origin's APIs; no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** On every console reply, the 503 included. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Hashed file names: their content never changes under a name. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: always revalidated. */
export const INDEX_CACHE_CONTROL = 'no-cache';

export const NOT_BUILT_TEXT =
  'The operator console is not built. Run `npm run build` (or `npm start`, which builds it), or point CONSOLE_DIR at a built console.\n';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (file: string): string => {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
};

/**
 * What a path under `/console/` (the part after it, URL-decoded) answers: a file under `assets/`,
 * the SPA's index.html (any other path: the console's own routes), or nothing (404): a `..` or `.`
 * segment, a backslash or a NUL, or an asset path leaving the assets folder.
 */
export type ConsoleTarget = { kind: 'asset'; file: string } | { kind: 'index' } | { kind: 'refused' };

export function consoleTarget(dir: string, subPath: string): ConsoleTarget {
  if (/[\\\0]/.test(subPath)) return { kind: 'refused' };
  const segments = subPath.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused' };
  if (segments[0] !== 'assets') return { kind: 'index' };
  const assets = resolve(dir, 'assets');
  const file = resolve(assets, segments.slice(1).join('/'));
  const rel = relative(assets, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return { kind: 'refused' };
  return { kind: 'asset', file: join(assets, rel) };
}
