import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { SessionStore } from './session.store';

/** Removes expired sessions every SESSION_CLEANUP_INTERVAL_SEC (a session is also refused once expired, swept or not). */
@Injectable()
export class SessionSweeper implements OnModuleInit {
  private timer: NodeJS.Timeout | null = null;
  private readonly log = new Logger('SessionSweeper');

  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig, private readonly sessions: SessionStore) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.sessions.sweepExpired(Date.now())
        .then((n) => n > 0 && this.log.log(`removed ${n} expired sessions`))
        .catch((error) => this.log.warn(`session sweep failed: ${(error as Error).message}`));
    }, this.config.sessionCleanupIntervalSec * 1000);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
