/** The navigation's entries, in order (the routes are in routes.tsx). */
export const NAVIGATION = [
  { path: '/', label: 'Overview' },
  { path: '/platforms', label: 'Platforms' },
  { path: '/templates', label: 'Templates' },
  { path: '/identity', label: 'Identity' },
  { path: '/audit', label: 'Audit' },
] as const;
