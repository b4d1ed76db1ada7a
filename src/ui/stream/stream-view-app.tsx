import { useEffect, useMemo, useReducer, useRef } from 'react';
import type { ReactElement } from 'react';
import { exportStream } from './export-stream.js';
import type { StreamDirection } from './export-stream.js';
import { EscapeCache } from './stream-data.js';
import type { StreamViewChunk, StreamViewSource } from './stream-data.js';
import { createStreamModel } from './stream-model.js';
import { StreamView, streamPageSize } from './stream-view.js';
import { initialStreamViewState, streamViewReducer } from './stream-view-state.js';
import { useStreamViewInput } from './use-stream-view-input.js';
import type { StreamKeyContext, StreamViewState } from './stream-view-state.js';

export type WriteStream = (chunks: readonly StreamViewChunk[], path: string, direction: StreamDirection) => number;

export interface StreamViewAppProps {
  readonly source: StreamViewSource;
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
  /** False while another region (help overlay) has the keys. */
  readonly isActive?: boolean;
  readonly initialState?: StreamViewState;
  /** The file writer (injected so tests and the app choose; default writes with fs, no overwrite). */
  readonly write?: WriteStream;
  readonly onClose?: () => void;
  /** Keys the view leaves to its owner (quit, help, pause) while no prompt of its own is open. */
  readonly onOuterKey?: (key: string, input: string) => void;
}

/**
 * The stream view with its own state and keys, ready to mount as a drill-down body. New data
 * arrives as a new `source` (a new `chunks` array); follow mode keeps the end in view.
 */
export function StreamViewApp({ source, width, height, isColor, isActive = true, initialState, write = exportStream, onClose, onOuterKey }: StreamViewAppProps): ReactElement {
  const cache = useMemo(() => new EscapeCache(), []);
  const model = useMemo(() => createStreamModel(source, width, cache), [source, width, cache]);
  const [state, dispatch] = useReducer(streamViewReducer, initialState ?? initialStreamViewState());
  const context = useRef<StreamKeyContext>({ model, pageSize: streamPageSize(height) });
  context.current = { model, pageSize: streamPageSize(height) };
  useStreamViewInput(dispatch, context, isActive, onOuterKey ? { state, onKey: onOuterKey } : undefined);
  const pending = state.write?.phase === 'writing' ? state.write : null;
  useEffect(() => {
    if (pending === null) return;
    let message: string;
    try {
      const n = write(source.chunks, pending.edit.text, pending.direction);
      message = `wrote ${n} bytes (${pending.direction}) to ${pending.edit.text}`;
    } catch (e) {
      message = `write failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    dispatch({ type: 'write-finished', message });
  }, [pending, write, source]);
  useEffect(() => {
    if (state.isClosing) onClose?.();
  }, [state.isClosing, onClose]);
  return <StreamView model={model} state={state} width={width} height={height} isColor={isColor} />;
}
