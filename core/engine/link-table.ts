// The link model of every directed link: defaults plus per-link overrides, created
// lazily, each with its own seeded random stream. Live changes re-resolve them all.
import type { LinkOverride, LinkParams, LinkPatch, NodeId } from '../experiment/types.js';
import { LinkModel } from './link-model.js';
import { createRng } from './prng.js';

export class LinkTable {
  private models: (LinkModel | undefined)[];
  private overrides: LinkOverride[] = [];

  constructor(
    private readonly ids: NodeId[],
    private defaults: LinkParams,
    private readonly seed: number,
  ) {
    this.models = new Array(ids.length * ids.length);
  }

  model(src: number, dest: number): LinkModel {
    const i = src * this.ids.length + dest;
    let model = this.models[i];
    if (!model) {
      const from = this.ids[src];
      const to = this.ids[dest];
      model = new LinkModel(this.resolve(from, to), createRng(this.seed, `link:${from}->${to}`));
      this.models[i] = model;
    }
    return model;
  }

  /** A new endpoint (a node that joins) at the next address; the links made so far keep their streams. */
  add(id: NodeId): void {
    const old = this.ids.length;
    const models: (LinkModel | undefined)[] = new Array((old + 1) * (old + 1));
    this.models.forEach((model, i) => (models[Math.floor(i / old) * (old + 1) + (i % old)] = model));
    this.ids.push(id);
    this.models = models;
  }

  paramsOf(from: NodeId, to: NodeId): LinkParams {
    return this.resolve(from, to);
  }

  setOverrides(overrides: LinkOverride[]): void {
    this.overrides = [...overrides];
    this.refresh();
  }

  /** Without endpoints, the patch changes the default of every link. */
  change(patch: LinkPatch, from?: NodeId, to?: NodeId): void {
    if (from === undefined && to === undefined) this.defaults = { ...this.defaults, ...patch };
    else this.overrides.push({ from, to, patch });
    this.refresh();
  }

  private resolve(from: NodeId, to: NodeId): LinkParams {
    let params = this.defaults;
    for (const o of this.overrides) {
      if ((o.from === undefined || o.from === from) && (o.to === undefined || o.to === to)) params = { ...params, ...o.patch };
    }
    return params;
  }

  private refresh(): void {
    const n = this.ids.length;
    this.models.forEach((model, i) => model?.setParams(this.resolve(this.ids[Math.floor(i / n)], this.ids[i % n])));
  }
}
