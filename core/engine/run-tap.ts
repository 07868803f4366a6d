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
