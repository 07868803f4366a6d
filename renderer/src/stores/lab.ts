// What the lab offers, loaded once: its info (database path, shell), the built-in programs
// with their parameters, and the preset experiments.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Preset, ResultOf } from '../../../core/api/contract.js';
import { transport } from '../transport/index.js';

export type LabInfo = ResultOf<'lab.info'>;
export type ProgramInfo = ResultOf<'programs.list'>[number];

export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const programs = shallowRef<ProgramInfo[]>([]);
  const presets = shallowRef<Preset[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let loading: Promise<void> | null = null;

  /** Loads everything once; after a failure the next call tries again. */
  function load(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    loading ??= (async () => {
      try {
        const api = transport();
        const [labInfo, programList, presetList] = await Promise.all([api.call('lab.info', null), api.call('programs.list', null), api.call('presets.list', null)]);
        info.value = labInfo;
        programs.value = programList;
        presets.value = [...presetList].sort((a, b) => a.name.localeCompare(b.name));
        loaded.value = true;
        error.value = null;
      } catch (e) {
        error.value = (e as Error).message;
        throw e;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  const programByName = computed(() => new Map(programs.value.map((p) => [p.name, p])));
  const presetById = computed(() => new Map(presets.value.map((p) => [p.id, p])));

  return { info, programs, presets, loaded, error, load, programByName, presetById };
});
