import { Route, Routes } from 'react-router';
import { AuditExplorer } from './explorer';
import { ResourcePage } from './resource-page';

/**
 * The audit explorer (issue 17, part 6): `/audit` (events of the log, filtered, paged, exported as
 * NDJSON) and `/audit/resources/<uuid>` (a resource's timeline, as it was at any point, and the diff
 * of two points). Filters and points are in the URL: uuids, types, times and log positions only.
 */
export function AuditPage() {
  return (
    <Routes>
      <Route index element={<AuditExplorer />} />
      <Route path="resources/:uuid" element={<ResourcePage />} />
      <Route path="*" element={<p>No such audit page.</p>} />
    </Routes>
  );
}
