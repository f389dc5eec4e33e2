import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Shell } from './components/shell';
import { useSession } from './auth/session-context';
import { LoginPage } from './pages/login';

// Each page its own chunk: the login page loads only what it needs.
const OverviewPage = lazy(() => import('./pages/overview').then((m) => ({ default: m.OverviewPage })));
const PlatformsPage = lazy(() => import('./pages/platforms').then((m) => ({ default: m.PlatformsPage })));
const PlatformPage = lazy(() => import('./pages/platforms/platform-page').then((m) => ({ default: m.PlatformPage })));
const CreatePlatformPage = lazy(() => import('./pages/platforms/create-platform-page').then((m) => ({ default: m.CreatePlatformPage })));
const TemplatesPage = lazy(() => import('./pages/templates').then((m) => ({ default: m.TemplatesPage })));
const IdentityPage = lazy(() => import('./pages/identity').then((m) => ({ default: m.IdentityPage })));
const AuditPage = lazy(() => import('./pages/audit').then((m) => ({ default: m.AuditPage })));

/**
 * THE route table (under the `/console` basename). Pages of a feature may add sub-routes under their
 * path with a `/*` route here and `<Routes>` of their own. Without a session every path shows the login page.
 */
export function AppRoutes() {
  const { session } = useSession();
  if (!session) return <LoginPage />;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<OverviewPage />} />
        <Route path="/platforms" element={<PlatformsPage />} />
        <Route path="/platforms/new" element={<CreatePlatformPage />} />
        <Route path="/platforms/:uuid" element={<PlatformPage />} />
        <Route path="/templates/*" element={<TemplatesPage />} />
        <Route path="/identity/*" element={<IdentityPage />} />
        <Route path="/audit/*" element={<AuditPage />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}

function NotFound() {
  return <p>No such page in the console.</p>;
}
