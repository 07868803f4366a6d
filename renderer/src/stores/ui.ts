// What the window shows: the current view, the theme, toasts, the connection to the lab,
// and the one question (confirm dialog) that may be open.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiCallError } from '../transport/api-error.js';
import { readJson, STORAGE_KEYS, writeJson } from './persisted.js';

export type View =
  | { kind: 'experiments' }
  | { kind: 'runs' }
  | { kind: 'run'; runId: number; live: boolean }
  | { kind: 'compare'; runIds: number[] }
  | { kind: 'sweep'; sweepId: number }
  /** A stepping session of a simulated experiment (it lives in the lab until closed). */
  | { kind: 'step'; sessionId: number }
  | { kind: 'hunt'; huntId: number };
export type Theme = 'light' | 'dark';
export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

export type Connection = 'connecting' | 'ok' | 'lost';

export interface Question {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
}

const TOAST_MS: Record<ToastKind, number> = { info: 5000, success: 5000, error: 9000 };
const MAX_TOASTS = 5;

const isTheme = (value: unknown): value is Theme => value === 'light' || value === 'dark';

function initialTheme(): Theme {
  const stored = readJson(STORAGE_KEYS.theme, isTheme);
  if (stored) return stored;
  const prefersDark = (globalThis as { matchMedia?: (q: string) => { matches: boolean } }).matchMedia?.('(prefers-color-scheme: dark)').matches;
  return prefersDark ? 'dark' : 'light';
}

/** A failure of the transport itself, not an answer from the lab. */
export function isConnectionError(error: unknown): boolean {
  return !(error instanceof ApiCallError);
}

export const useUiStore = defineStore('ui', () => {
  const view = ref<View>({ kind: 'experiments' });
  const theme = ref<Theme>(initialTheme());
  const toasts = ref<Toast[]>([]);
  const connection = ref<Connection>('connecting');
  const connectionProblem = ref<string | null>(null);
  const question = ref<Question | null>(null);
  let answer: ((yes: boolean) => void) | null = null;
  let nextToastId = 1;

  function open(next: View): void {
    view.value = next;
  }

  function setTheme(next: Theme): void {
    theme.value = next;
    writeJson(STORAGE_KEYS.theme, next);
  }

  function toggleTheme(): void {
    setTheme(theme.value === 'dark' ? 'light' : 'dark');
  }

  function toast(kind: ToastKind, text: string): number {
    // The same text twice in a row (a retry loop, say) shows once.
    const same = toasts.value.find((t) => t.text === text && t.kind === kind);
    if (same) return same.id;
    const id = nextToastId++;
    toasts.value = [...toasts.value, { id, kind, text }].slice(-MAX_TOASTS);
    setTimeout(() => dismiss(id), TOAST_MS[kind]);
    return id;
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  /** Shows what went wrong in a call; a transport failure also marks the connection lost. */
  function reportError(what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (isConnectionError(error)) connectionLost(message);
    toast('error', `${what}: ${message}`);
  }

  function connectionOk(): void {
    connection.value = 'ok';
    connectionProblem.value = null;
  }

  function connectionLost(message: string): void {
    connection.value = 'lost';
    connectionProblem.value = message;
  }

  /** Opens the confirm dialog; resolves true when the person confirms. */
  function ask(q: Partial<Question> & { message: string }): Promise<boolean> {
    answer?.(false);
    question.value = { title: q.title ?? 'Are you sure?', message: q.message, confirmLabel: q.confirmLabel ?? 'OK', danger: q.danger ?? false };
    return new Promise((resolve) => {
      answer = resolve;
    });
  }

  function reply(yes: boolean): void {
    question.value = null;
    const resolve = answer;
    answer = null;
    resolve?.(yes);
  }

  return { view, theme, toasts, connection, connectionProblem, question, open, setTheme, toggleTheme, toast, dismiss, reportError, connectionOk, connectionLost, ask, reply };
});
