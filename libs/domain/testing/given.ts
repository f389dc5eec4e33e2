import { ZStackError } from '@cp/contracts';

/**
 * Decider specs as given / when / then (test support: it asserts with jest's `expect`):
 *
 *   given(accountDecider, [created]).when({ type: 'UpdateAccount', ... }).then([updated]);
 *   given(accountDecider).when(command).thenThrows('ID.1002');
 *
 * `given` folds its events with the decider's `evolve`, from `initialState`; `when` runs `decide`
 * on that state; `then` checks the events it returned, `thenThrows` the error it threw.
 */
export interface Decider<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/**
 * What `thenThrows` checks: a string is the code of a ZStackError ('ID.1002'); an object, fields of a
 * ZStackError (`{ code, details }`); a RegExp, the message of any error; a function, anything it asserts.
 */
export type ErrorMatcher = string | RegExp | Record<string, unknown> | ((error: unknown) => void);

export interface Then<State, Event> {
  /**
   * The events decided equal `expected`; or, given a function, that function's assertions on the
   * events and on the state they fold to (from the given state). Returns the events.
   */
  then(expected: Event[] | ((events: Event[], state: State) => void)): Event[];
  /** `decide` throws, and the error matches (see ErrorMatcher). Returns the error. */
  thenThrows(expected: ErrorMatcher): unknown;
}

export interface When<Command, State, Event> {
  /** The state the given events fold to. */
  readonly state: State;
  when(command: Command): Then<State, Event>;
}

export function given<Command, State, Event>(
  decider: Decider<Command, State, Event>, events: readonly Event[] = [],
): When<Command, State, Event> {
  const fold = (from: State, list: readonly Event[]) => list.reduce<State>((s, e) => decider.evolve(s, e), from);
  const state = fold(decider.initialState, events);
  return {
    state,
    when(command) {
      return {
        then(expected) {
          const decided = decider.decide(command, state);
          if (typeof expected === 'function') expected(decided, fold(state, decided));
          else expect(decided).toEqual(expected);
          return decided;
        },
        thenThrows(expected) {
          let decided: Event[];
          try {
            decided = decider.decide(command, state);
          } catch (error) {
            if (typeof expected === 'function') expected(error);
            else if (expected instanceof RegExp) expect((error as Error).message).toMatch(expected);
            else {
              expect(error).toBeInstanceOf(ZStackError);
              if (typeof expected === 'string') expect((error as ZStackError).code).toBe(expected);
              else expect(error).toMatchObject(expected);
            }
            return error;
          }
          throw new Error(`expected ${nameOf(command)} to be refused, but it decided ${JSON.stringify(decided)}`);
        },
      };
    },
  };
}

const nameOf = (command: unknown) =>
  typeof command === 'object' && command !== null && 'type' in command ? String((command as { type: unknown }).type) : 'the command';
