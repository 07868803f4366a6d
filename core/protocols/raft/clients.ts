// Client requests. The leader appends the command and answers once it is applied; a
// follower or candidate forwards the request to the leader it knows and relays the
// answer, or answers error 11 when it knows none. Forwards are stamped, so that the
// leader appends a copy the network duplicated only once (../forwarded/).
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, malformedRequest, send, setTimer } from '../../sdk/index.js';
import { stampForward } from '../forwarded/forward-stamp.js';
import { ERROR_NOT_SUPPORTED, ERROR_TEMPORARILY_UNAVAILABLE, ERROR_TIMEOUT, answer, commandFromRequest, commandProblem, errorBody } from './kv.js';
import { lastLogIndex } from './log.js';
import { appendAsLeader } from './replication.js';
import type { ClientCommand, RaftState } from './types.js';

/** Past this many uncommitted entries (e.g. a leader cut off from its majority) new requests are refused. */
const MAX_UNCOMMITTED_ENTRIES = 1000;
/** A forwarded request the leader has not answered by then gets error 0, timeout: its outcome is unknown. */
export const PROXY_TIMEOUT_MS = 1000;
const PROXY_TIMER_PREFIX = 'proxy:';

/** `forwarded` marks a request a follower sent on; it is not forwarded a second time. */
export function handleClientRequest(s: RaftState, from: string, body: Body, out: Output[]): void {
  const command = s.config.replicateLog ? commandFromRequest(body) : null;
  if (!command) {
    out.push(answer(from, body.msg_id, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported`)));
    return;
  }
  const problem = commandProblem(command);
  if (problem) {
    out.push(answer(from, body.msg_id, malformedRequest(body, problem)));
    return;
  }
  if (s.role === 'leader') {
    if (lastLogIndex(s) - s.commitIndex >= MAX_UNCOMMITTED_ENTRIES) {
      out.push(answer(from, body.msg_id, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, 'too many uncommitted entries')));
      return;
    }
    appendAsLeader(s, command, { replyTo: from, msgId: body.msg_id }, out);
    return;
  }
  if (s.leader === null || body.forwarded === true) {
    out.push(answer(from, body.msg_id, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, 'not the leader, and no leader known')));
    return;
  }
  const msgId = s.nextMsgId++;
  s.proxied.set(msgId, { client: from, clientMsgId: body.msg_id });
  out.push(send(s.leader, stampForward(s.forwardStamps, { ...requestBody(command), msg_id: msgId, forwarded: true })), setTimer(PROXY_TIMER_PREFIX + msgId, PROXY_TIMEOUT_MS));
}

/** The request rebuilt from its command, so nothing but its own fields travels on. */
function requestBody(command: ClientCommand): Body {
  const { op, ...fields } = command;
  return { type: op, ...fields };
}

/** A message answering a request we forwarded: relay it to the client. False if it is not one. */
export function relayProxiedAnswer(s: RaftState, body: Body, out: Output[]): boolean {
  const msgId = Number(body.in_reply_to);
  const proxied = s.proxied.get(msgId);
  if (!proxied) return false;
  s.proxied.delete(msgId);
  const relayed: Body = { type: body.type };
  for (const field of ['value', 'code', 'text'] as const) if (field in body) relayed[field] = body[field];
  out.push(cancelTimer(PROXY_TIMER_PREFIX + msgId), answer(proxied.client, proxied.clientMsgId, relayed));
  return true;
}

/** Handles a proxy timer; false when the timer is not one. */
export function expireProxiedRequest(s: RaftState, timer: string, out: Output[]): boolean {
  if (!timer.startsWith(PROXY_TIMER_PREFIX)) return false;
  const msgId = Number(timer.slice(PROXY_TIMER_PREFIX.length));
  const proxied = s.proxied.get(msgId);
  if (proxied) {
    s.proxied.delete(msgId);
    out.push(answer(proxied.client, proxied.clientMsgId, errorBody(ERROR_TIMEOUT, 'the leader did not answer in time; the outcome is unknown')));
  }
  return true;
}
