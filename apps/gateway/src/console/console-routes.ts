import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import {
  ASSET_CACHE_CONTROL, CONSOLE_HEADERS, CONSOLE_PATH, INDEX_CACHE_CONTROL, NOT_BUILT_TEXT, consoleTarget, contentTypeOf,
} from './console-files';

/**
 * The operator console (apps/console, built into CONSOLE_DIR): `GET /console` and `/console/*`.
 * Hashed files under `assets/` cached for a year; every other path is one of the single-page app's
 * routes and answers index.html (revalidated each time). No credential: the files hold no data, the
 * page logs in through the APIs. Static routes of their own, like the docs page: the API routes do
 * no more work per request for them. Not built: 503 with a plain text saying how to build it.
 */
@Injectable()
export class ConsoleRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    app.get(CONSOLE_PATH, async (_req, reply) => this.index(reply));
    app.get(`${CONSOLE_PATH}/*`, async (req, reply) => this.serve(req, reply));
  }

  private async serve(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const subPath = (req.params as { '*'?: string })['*'] ?? '';
    const target = consoleTarget(this.config.consoleDir, subPath);
    if (target.kind === 'refused') return this.notFound(reply);
    if (target.kind === 'index') return this.index(reply);
    const info = await stat(target.file).catch(() => null);
    if (!info?.isFile()) return (await this.built()) ? this.notFound(reply) : this.notBuilt(reply);
    return reply
      .headers(CONSOLE_HEADERS)
      .header('cache-control', ASSET_CACHE_CONTROL)
      .header('content-length', info.size)
      .type(contentTypeOf(target.file))
      .send(createReadStream(target.file));
  }

  private async index(reply: FastifyReply): Promise<FastifyReply> {
    const html = await readFile(join(this.config.consoleDir, 'index.html')).catch(() => null);
    if (html === null) return this.notBuilt(reply);
    return reply.headers(CONSOLE_HEADERS).header('cache-control', INDEX_CACHE_CONTROL).type('text/html; charset=utf-8').send(html);
  }

  private async built(): Promise<boolean> {
    return (await stat(join(this.config.consoleDir, 'index.html')).catch(() => null))?.isFile() ?? false;
  }

  private notBuilt(reply: FastifyReply): FastifyReply {
    return reply.code(503).headers(CONSOLE_HEADERS).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT_TEXT);
  }

  private notFound(reply: FastifyReply): FastifyReply {
    return reply.code(404).headers(CONSOLE_HEADERS).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Not found\n');
  }
}
