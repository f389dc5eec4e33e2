import { ZStackError } from '@cp/contracts';
import { given } from './given';

/** A counter that refuses to go below zero: enough to see given/when/then pass and fail. */
type Event = { type: 'Added'; by: number };
type Command = { type: 'Add'; by: number };
const counter = {
  initialState: 0,
  evolve: (state: number, event: Event) => state + event.by,
  decide(command: Command, state: number): Event[] {
    if (state + command.by < 0) throw new ZStackError('SYS.1007', `cannot go below zero from ${state}`);
    return command.by === 0 ? [] : [{ type: 'Added', by: command.by }];
  },
};
const add = (by: number): Command => ({ type: 'Add', by });

describe('given / when / then', () => {
  it('folds the given events from the initial state and checks the events decided', () => {
    expect(given(counter, [{ type: 'Added', by: 2 }, { type: 'Added', by: 3 }]).state).toBe(5);
    given(counter, [{ type: 'Added', by: 2 }]).when(add(1)).then([{ type: 'Added', by: 1 }]);
    given(counter).when(add(0)).then([]);
    given(counter, [{ type: 'Added', by: 2 }]).when(add(1)).then((events, state) => {
      expect(events).toHaveLength(1);
      expect(state).toBe(3);
    });
  });

  it('fails when the events differ, or the function passed to then fails', () => {
    expect(() => given(counter).when(add(1)).then([])).toThrow();
    expect(() => given(counter).when(add(1)).then([{ type: 'Added', by: 2 }])).toThrow();
    expect(() => given(counter).when(add(1)).then((_events, state) => expect(state).toBe(2))).toThrow();
  });

  it('checks the error a refused command throws: its code, its fields, its message, or a function of it', () => {
    given(counter).when(add(-1)).thenThrows('SYS.1007');
    given(counter).when(add(-1)).thenThrows({ code: 'SYS.1007', details: 'cannot go below zero from 0' });
    given(counter).when(add(-1)).thenThrows(/below zero/);
    const error = given(counter).when(add(-1)).thenThrows((e) => expect(e).toBeInstanceOf(ZStackError));
    expect((error as ZStackError).details).toBe('cannot go below zero from 0');
  });

  it('fails when the command is not refused, or refused otherwise', () => {
    expect(() => given(counter).when(add(1)).thenThrows('SYS.1007')).toThrow('expected Add to be refused, but it decided [{"type":"Added","by":1}]');
    expect(() => given(counter).when(add(-1)).thenThrows('ID.1002')).toThrow();
    expect(() => given(counter).when(add(-1)).thenThrows({ details: 'something else' })).toThrow();
    expect(() => given(counter).when(add(-1)).thenThrows(/above/)).toThrow();
    const plain = { ...counter, decide: () => { throw new Error('not a ZStack error'); } };
    expect(() => given(plain).when(add(1)).thenThrows({ message: 'not a ZStack error' })).toThrow();
  });
});
