/** The projection of the `platform` streams into PlatformReadModel. */
export const PLATFORM_PROJECTION = Symbol('PLATFORM_PROJECTION');
