// The engine's membership message, sent by `distlab` to every member (and the one leaving)
// after each change: { type: 'membership', members, joined?, left? }.
export interface MembershipChange {
  members: string[];
  joined?: string;
  left?: string;
}

/** The change a membership message (or the copy a hand-over carries) describes; null if malformed. */
export function membershipChangeFrom(value: unknown): MembershipChange | null {
  if (typeof value !== 'object' || value === null) return null;
  const { members, joined, left } = value as Record<string, unknown>;
  if (!Array.isArray(members) || !members.every((m) => typeof m === 'string')) return null;
  return { members: members as string[], ...(typeof joined === 'string' && { joined }), ...(typeof left === 'string' && { left }) };
}
