import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DOCS_CSP, DOCS_HTML, DOCS_INITIALIZER, DOCS_INITIALIZER_JS, DOCS_PATH, SWAGGER_UI_ASSETS } from './docs-page';
import { REST_OPENAPI_PATH, ZSTACK_OPENAPI_PATH, openApiDocuments } from './openapi';

/**
 * `GET /api/v1/openapi.json`, `GET /zstack/v1/openapi.json` (generated once, here, at start) and the
 * Swagger UI page `GET /api/v1/docs` with its files. No credential: they describe the API, they hold
 * no data. Static routes, so they win over the `/api/v1/*` and `/*` catch-alls of the API routes.
 */
@Injectable()
export class OpenApiRoutes implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const documents = openApiDocuments();
    const json = { rest: JSON.stringify(documents.rest), zstack: JSON.stringify(documents.zstack) };
    app.get(REST_OPENAPI_PATH, async (_req, reply) => reply.type('application/json; charset=utf-8').send(json.rest));
    app.get(ZSTACK_OPENAPI_PATH, async (_req, reply) => reply.type('application/json; charset=utf-8').send(json.zstack));

    app.get(DOCS_PATH, async (_req, reply) =>
      reply
        .header('content-security-policy', DOCS_CSP)
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(DOCS_HTML),
    );
    app.get(`${DOCS_PATH}/${DOCS_INITIALIZER}`, async (_req, reply) =>
      reply.header('x-content-type-options', 'nosniff').type('application/javascript; charset=utf-8').send(DOCS_INITIALIZER_JS),
    );
    const swaggerUi = dirname(require.resolve('swagger-ui-dist/package.json'));
    for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
      app.get(`${DOCS_PATH}/${file}`, async (_req, reply) =>
        reply
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=3600')
          .type(type)
          .send(createReadStream(join(swaggerUi, file))),
      );
    }
  }
}
