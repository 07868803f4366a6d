// What a run records, offered to a listener as it happens (the live view) besides the
// recorder. Same signatures as the recorder, so one object can stand for both.
import type { Recorder } from '../store/recorder.js';

export type RecordSink = Pick<Recorder, 'message' | 'operation' | 'event' | 'metric' | 'fault' | 'log'>;

/** A sink that hands every row to the recorder and then to the tap. */
export function teeSink(recorder: RecordSink, tap: RecordSink): RecordSink {
  return {
    message(...args) {
      recorder.message(...args);
      tap.message(...args);
    },
    operation(...args) {
      recorder.operation(...args);
      tap.operation(...args);
    },
    event(...args) {
      recorder.event(...args);
      tap.event(...args);
    },
    metric(...args) {
      recorder.metric(...args);
      tap.metric(...args);
    },
    fault(...args) {
      recorder.fault(...args);
      tap.fault(...args);
    },
    log(...args) {
      recorder.log(...args);
      tap.log(...args);
    },
  };
}

/** A sink that drops every row once `closed()` is true, instead of failing on a closed recorder. */
export function untilClosed(sink: RecordSink, closed: () => boolean): RecordSink {
  return {
    message(...args) {
      if (!closed()) sink.message(...args);
    },
    operation(...args) {
      if (!closed()) sink.operation(...args);
    },
    event(...args) {
      if (!closed()) sink.event(...args);
    },
    metric(...args) {
      if (!closed()) sink.metric(...args);
    },
    fault(...args) {
      if (!closed()) sink.fault(...args);
    },
    log(...args) {
      if (!closed()) sink.log(...args);
    },
  };
}
