import { rowsToJson } from '@cp/event-store';
import { pick, seededRandom } from '@cp/query';
import { AggregateRows, type AggregateRow } from './aggregate-rows';
import { StreamLog } from './spec-support';

/** A toy aggregate: a name (indexed), tags (multi-indexed), a `deleted` flag (gone), and a purge (no state). */
interface Thing {
  uuid: string;
  name: string;
  tags: string[];
  deleted: boolean;
}
type ThingEvent =
  | { type: 'Created'; data: { uuid: string; name: string; tags: string[] } }
  | { type: 'Renamed'; data: { uuid: string; name: string } }
  | { type: 'Tagged'; data: { uuid: string; tags: string[] } }
  | { type: 'Deleted'; data: { uuid: string } }
  | { type: 'Purged'; data: { uuid: string } };

function evolve(state: Thing | null, event: ThingEvent): Thing | null {
  switch (event.type) {
    case 'Created': return { ...event.data, deleted: false };
    case 'Renamed': return state && { ...state, name: event.data.name };
    case 'Tagged': return state && { ...state, tags: event.data.tags };
    case 'Deleted': return state && { ...state, deleted: true };
    case 'Purged': return null;
  }
}

const SPEC = {
  evolve,
  gone: (s: Thing) => s.deleted,
  indexes: { name: (r: AggregateRow<Thing>) => r.state.name },
  multiIndexes: { tags: (r: AggregateRow<Thing>) => r.state.tags },
};

/** The core with its protected parts in reach, and what its hooks heard. */
class Things extends AggregateRows<Thing, ThingEvent> {
  readonly admitted: Array<[string, string | undefined]> = [];
  readonly removedNames: string[] = [];

  constructor() {
    super(SPEC);
  }

  protected override admit(state: Thing, before: Thing | undefined): Thing {
    this.admitted.push([state.name, before?.name]);
    return state;
  }

  protected override removed(state: Thing): void {
    this.removedNames.push(state.name);
  }

  ids(field: string, key: string): string[] {
    return this.indexes.index(field).ids(key);
  }

  source(onlyTag?: string) {
    return this.sourceOf((r) => (onlyTag === undefined || r.state.tags.includes(onlyTag) ? r.state : undefined));
  }
}

const UUIDS = Array.from({ length: 12 }, (_, i) => `u${i}`);
const NAMES = ['a', 'b', 'c'];
const TAGS = ['x', 'y', 'z'];
const created = (uuid: string, name: string, tags: string[] = []): ThingEvent => ({ type: 'Created', data: { uuid, name, tags } });

describe('AggregateRows', () => {
  it('folds events into one row per aggregate, with the version it was built to', () => {
    const rows = new AggregateRows<Thing, ThingEvent>(SPEC);
    const log = new StreamLog<ThingEvent>('thing');
    rows.apply(log.emit(created('u1', 'a')));
    rows.apply(log.emit({ type: 'Renamed', data: { uuid: 'u1', name: 'b' } }));
    rows.apply(log.emit(created('u2', 'c')));
    expect(rows.size).toBe(2);
    expect(rows.get('u1')).toEqual({ uuid: 'u1', name: 'b', tags: [], deleted: false });
    expect(rows.loaded('u1')).toEqual({ state: rows.get('u1'), version: 1n });
    expect(rows.loaded('u2')!.version).toBe(0n);
    expect([rows.get('nope'), rows.loaded('nope')]).toEqual([undefined, undefined]);
  });

  it('skips a replayed older commit, but applies another event of the same commit', () => {
    const rows = new AggregateRows<Thing, ThingEvent>(SPEC);
    const log = new StreamLog<ThingEvent>('thing');
    const first = log.emit(created('u1', 'a'));
    rows.apply(first);
    const renamed = log.emit({ type: 'Renamed', data: { uuid: 'u1', name: 'b' } });
    rows.apply(renamed);
    rows.apply(first);
    expect(rows.get('u1')!.name).toBe('b');
    // A commit of two events: both carry the version after the commit.
    rows.apply({ ...renamed, type: 'Tagged', data: { uuid: 'u1', tags: ['x'] } });
    expect(rows.loaded('u1')).toEqual({ state: { uuid: 'u1', name: 'b', tags: ['x'], deleted: false }, version: 1n });
  });

  it('drops the row of a gone aggregate (by its rule, or no state) from the rows and the indexes', () => {
    const rows = new Things();
    const log = new StreamLog<ThingEvent>('thing');
    rows.apply(log.emit(created('u1', 'a', ['x'])));
    rows.apply(log.emit(created('u2', 'a', ['x'])));
    rows.apply(log.emit({ type: 'Deleted', data: { uuid: 'u1' } }));
    expect([rows.get('u1'), rows.size, rows.ids('name', 'a'), rows.ids('tags', 'x')]).toEqual([undefined, 1, ['u2'], ['u2']]);
    rows.apply(log.emit({ type: 'Purged', data: { uuid: 'u2' } }));
    expect([rows.size, rows.ids('name', 'a'), rows.ids('tags', 'x')]).toEqual([0, [], []]);
    // An event for no row that leaves no state makes none.
    rows.apply(log.emit({ type: 'Renamed', data: { uuid: 'u3', name: 'c' } }));
    expect([rows.size, rows.removedNames]).toEqual([0, ['a', 'a']]);
  });

  it('keys rows by data.uuid unless told otherwise', () => {
    const rows = new AggregateRows<Thing, ThingEvent>({ ...SPEC, key: (e) => `k-${String(e.data.uuid)}` });
    rows.apply(new StreamLog<ThingEvent>('thing').emit(created('u1', 'a')));
    expect([rows.get('u1'), rows.get('k-u1')?.name]).toEqual([undefined, 'a']);
  });

  it('asks admit what to store (with the state replaced) and tells removed what went', () => {
    const rows = new Things();
    const log = new StreamLog<ThingEvent>('thing');
    rows.apply(log.emit(created('u1', 'a')));
    rows.apply(log.emit({ type: 'Renamed', data: { uuid: 'u1', name: 'b' } }));
    rows.apply(log.emit({ type: 'Deleted', data: { uuid: 'u1' } }));
    expect([rows.admitted, rows.removedNames]).toEqual([[['a', undefined], ['b', 'a']], ['b']]);
    const restored = new Things();
    rows.apply(log.emit(created('u2', 'c')));
    restored.restore(rows.snapshot());
    expect(restored.admitted).toEqual([['c', undefined]]);
  });

  it('snapshots as rowsToJson (uuid, version as a string, state) in the rows order, and restores from it', () => {
    const rows = new Things();
    const log = new StreamLog<ThingEvent>('thing');
    rows.apply(log.emit(created('u2', 'b', ['y'])));
    rows.apply(log.emit(created('u1', 'a', ['x', 'y'])));
    rows.apply(log.emit({ type: 'Renamed', data: { uuid: 'u2', name: 'a' } }));
    const snapshot = JSON.parse(JSON.stringify(rows.snapshot()));
    expect(snapshot).toEqual([
      { uuid: 'u2', version: '1', state: { uuid: 'u2', name: 'a', tags: ['y'], deleted: false } },
      { uuid: 'u1', version: '0', state: { uuid: 'u1', name: 'a', tags: ['x', 'y'], deleted: false } },
    ]);
    const map = new Map([...rows.source().all()].map((s) => [s.uuid, { state: s, version: rows.loaded(s.uuid)!.version! }]));
    expect(rows.snapshot()).toEqual(rowsToJson(map));
    const restored = new Things();
    restored.restore(snapshot);
    expect(restored.snapshot()).toEqual(snapshot);
    expect([restored.loaded('u2')!.version, restored.ids('name', 'a'), restored.ids('tags', 'y')]).toEqual([1n, ['u2', 'u1'], ['u2', 'u1']]);
    // It follows the log from there: an older commit is still a no-op.
    restored.apply(log.events[0]);
    restored.apply(log.emit({ type: 'Renamed', data: { uuid: 'u2', name: 'c' } }));
    expect([restored.ids('name', 'a'), restored.ids('name', 'c'), restored.loaded('u2')!.version]).toEqual([['u1'], ['u2'], 2n]);
  });

  it('gives sources over the rows: as the view shows them, in the rows order, looked up by index', () => {
    const rows = new Things();
    const log = new StreamLog<ThingEvent>('thing');
    rows.apply(log.emit(created('u1', 'a', ['x'])));
    rows.apply(log.emit(created('u2', 'b', ['y'])));
    rows.apply(log.emit(created('u3', 'a', ['x', 'y'])));
    const tagged = rows.source('x');
    expect([...tagged.all()].map((s) => s.uuid)).toEqual(['u1', 'u3']);
    expect([tagged.get!('u2'), tagged.get!('u3')?.uuid, tagged.get!('nope')]).toEqual([undefined, 'u3', undefined]);
    const found = tagged.lookup!('name', ['a', 'b'])!;
    expect([found.size, found.exact, [...found.rows()].map((s) => s.uuid)]).toEqual([3, true, ['u1', 'u3']]);
    expect(tagged.lookup!('uuid', ['u3', 'u2', 'u1'])!.rows()).toEqual([rows.get('u1'), rows.get('u3')]);
    expect(tagged.lookup!('deleted', ['false'])).toBeUndefined();
  });

  it('a source made before a swap (Projection.rebuild: Object.assign) reads the swapped-in rows', () => {
    const live = new Things();
    const log = new StreamLog<ThingEvent>('thing');
    live.apply(log.emit(created('u1', 'a')));
    const source = live.source();
    const fresh = new Things();
    fresh.apply(log.emit(created('u2', 'a')));
    Object.assign(live, fresh);
    expect([...source.all()].map((s) => s.uuid)).toEqual(['u2']);
    expect([...source.lookup!('name', ['a'])!.rows()].map((s) => s.uuid)).toEqual(['u2']);
    live.apply(log.emit({ type: 'Renamed', data: { uuid: 'u2', name: 'b' } }));
    expect([fresh.get('u2')?.name, live.ids('name', 'b')]).toEqual(['b', ['u2']]);
  });

  it('its indexes answer as a scan of the rows, over random events, restored and swapped (fixed seed)', () => {
    const rng = seededRandom(13);
    const log = new StreamLog<ThingEvent>('thing');
    const rows = new Things();
    const randomEvents = (count: number) => {
      for (let i = 0; i < count; i++) {
        const uuid = pick(rng, UUIDS);
        const tags = () => TAGS.filter(() => rng() < 0.4);
        const r = rng();
        const event: ThingEvent = !rows.get(uuid) ? created(uuid, pick(rng, NAMES), tags())
          : r < 0.15 ? { type: 'Deleted', data: { uuid } }
          : r < 0.25 ? { type: 'Purged', data: { uuid } }
          : r < 0.6 ? { type: 'Renamed', data: { uuid, name: pick(rng, NAMES) } }
          : { type: 'Tagged', data: { uuid, tags: tags() } };
        rows.apply(log.emit(event));
        // Now and then a replayed commit of a row held (with none, the model cannot tell it is old).
        const again = pick(rng, log.events);
        if (rng() < 0.1 && rows.get(String(again.data.uuid))) rows.apply(again);
      }
    };
    const expectConsistent = (model: Things) => {
      const all = [...model.source().all()];
      for (const name of [...NAMES, 'nope']) expect(model.ids('name', name)).toEqual(all.filter((s) => s.name === name).map((s) => s.uuid));
      for (const tag of [...TAGS, 'nope']) expect(model.ids('tags', tag)).toEqual(all.filter((s) => s.tags.includes(tag)).map((s) => s.uuid));
      expect(model.size).toBe(all.length);
    };
    for (let round = 0; round < 40; round++) {
      randomEvents(1 + Math.floor(rng() * 8));
      expectConsistent(rows);
    }
    const restored = new Things();
    restored.restore(JSON.parse(JSON.stringify(rows.snapshot())));
    expect(restored.snapshot()).toEqual(rows.snapshot());
    expectConsistent(restored);
    const fresh = new Things();
    for (const e of log.events) fresh.apply(e);
    expect(fresh.snapshot()).toEqual(rows.snapshot());
    const swapped = new Things();
    Object.assign(swapped, fresh);
    expectConsistent(swapped);
  });
});
