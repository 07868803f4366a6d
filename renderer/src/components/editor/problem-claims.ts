// Problems from the validator name a path ("nodes.count", "faults[2].kill"). Each form
// field claims the paths it shows; the YAML pane lists what no mounted field claimed.
import { inject, onBeforeUnmount, provide, reactive, watchEffect, type InjectionKey } from 'vue';
import type { Problem } from '../../../../core/api/contract.js';

/** A claim is an exact path, or a prefix ending in '*' that also covers everything below it. */
export type Claim = string;

export function claimCovers(claim: Claim, path: string): boolean {
  if (!claim.endsWith('*')) return claim === path;
  const base = claim.slice(0, -1);
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

export function problemsFor(problems: readonly Problem[], claims: readonly Claim[]): Problem[] {
  return problems.filter((p) => p.path !== '' && claims.some((c) => claimCovers(c, p.path)));
}

type Registry = Map<symbol, readonly Claim[]>;
const REGISTRY: InjectionKey<Registry> = Symbol('problem-claims');

/** Called by the editor: fields below it register their claims here. */
export function provideClaimRegistry(): Registry {
  const registry: Registry = reactive(new Map());
  provide(REGISTRY, registry);
  return registry;
}

/** Called by a field: claims `claims()` while it is mounted. */
export function useClaims(claims: () => readonly Claim[]): void {
  const registry = inject(REGISTRY, null);
  if (!registry) return;
  const me = Symbol('field');
  watchEffect(() => registry.set(me, claims()));
  onBeforeUnmount(() => registry.delete(me));
}

export function unclaimedProblems(problems: readonly Problem[], registry: Registry): Problem[] {
  const all = [...registry.values()].flat();
  return problems.filter((p) => p.path === '' || !all.some((c) => claimCovers(c, p.path)));
}
