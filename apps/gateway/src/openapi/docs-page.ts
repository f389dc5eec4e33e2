import { REST_OPENAPI_PATH, ZSTACK_OPENAPI_PATH } from './openapi';

/** The browsable documentation: Swagger UI from the `swagger-ui-dist` package, served by the gateway (no CDN). */
export const DOCS_PATH = '/api/v1/docs';
/** The page's initializer: a script file of its own, so that the page needs no inline script. */
export const DOCS_INITIALIZER = 'docs-initializer.js';

/** The files of swagger-ui-dist the page loads, served from the package's folder under DOCS_PATH (these names only). */
export const SWAGGER_UI_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The page's Content-Security-Policy: scripts from the gateway only (no inline script, no eval);
 * Swagger UI sets inline styles and uses data: images in its CSS; it fetches the documents and the
 * "Try it out" requests from the same origin.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>API documentation</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="stylesheet" href="${DOCS_PATH}/index.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
    <script src="${DOCS_PATH}/${DOCS_INITIALIZER}"></script>
  </body>
</html>
`;

/** Both documents in the page's selector; no validator badge (it would call validator.swagger.io). */
export const DOCS_INITIALIZER_JS = `'use strict';
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { url: ${JSON.stringify(REST_OPENAPI_PATH)}, name: 'Control plane API (/api/v1)' },
      { url: ${JSON.stringify(ZSTACK_OPENAPI_PATH)}, name: 'ZStack API (/zstack/v1)' },
    ],
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;
