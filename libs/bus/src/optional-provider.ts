import type { ModuleRef } from '@nestjs/core';

/** A provider of the module tree, or undefined when no module gives it (an optional dependency). */
export function optionalProvider<T>(ref: ModuleRef, token: symbol): T | undefined {
  try {
    return ref.get<symbol, T>(token, { strict: false });
  } catch {
    return undefined;
  }
}
