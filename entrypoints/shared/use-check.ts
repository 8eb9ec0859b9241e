// The pages' side of the streaming check: one runtime Port to the background, messages validated
// by the page's own parser (the popup's is small, the report page's is the full schema), folded
// into RunState. Unmounting (the popup closing) disconnects the port, which aborts the run.
import { useCallback, useEffect, useReducer, useRef } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { idleState, reduceRun, type ReportLike, type RunAction, type RunState, type ServerMessage } from '../../components/run-state.ts';
import { CHECK_PORT_NAME } from './protocol-constants.ts';
import type { CheckClientMessage } from './ui-protocol.ts';

type PortLike = ReturnType<typeof browser.runtime.connect>;

export function useCheck<R extends ReportLike>(
  parse: (raw: unknown) => ServerMessage<R> | undefined,
  initial: RunState<R> = idleState<R>(),
): {
  state: RunState<R>;
  start: (input: string, force?: boolean) => void;
  show: (action: RunAction<R>) => void;
} {
  const [state, dispatch] = useReducer<RunState<R>, RunAction<R>>(reduceRun, initial);
  const port = useRef<PortLike | undefined>(undefined);
  const running = useRef(false);

  const connect = useCallback((): PortLike => {
    if (port.current) return port.current;
    const p = browser.runtime.connect({ name: CHECK_PORT_NAME });
    p.onMessage.addListener((raw: unknown) => {
      const m = parse(raw);
      if (!m) return dispatch({ type: 'fail', message: 'The background sent an answer this page does not understand.' });
      if (m.type === 'done' || m.type === 'error') running.current = false;
      dispatch(m);
    });
    p.onDisconnect.addListener(() => {
      port.current = undefined;
      if (running.current) dispatch({ type: 'fail', message: 'The background stopped before the check finished. Try again.' });
      running.current = false;
    });
    port.current = p;
    return p;
  }, [parse]);

  const start = useCallback(
    (input: string, force = false) => {
      dispatch({ type: 'begin', input });
      running.current = true;
      const message: CheckClientMessage = { type: 'start', input, force };
      try {
        connect().postMessage(message);
      } catch {
        port.current = undefined;
        connect().postMessage(message);
      }
    },
    [connect],
  );

  useEffect(
    () => () => {
      port.current?.disconnect();
      port.current = undefined;
    },
    [],
  );

  return { state, start, show: dispatch };
}
