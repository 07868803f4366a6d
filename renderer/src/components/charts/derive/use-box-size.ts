// The size of a chart's box in CSS pixels, for layouts that depend on it (lanes per node,
// a compact form in small grid cells). Changes of a few pixels are ignored.
import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue';

export interface BoxSize {
  width: number;
  height: number;
}

/** Below this a chart drops its axis names and extra legend rows. */
export function isCompact(size: BoxSize): boolean {
  return size.height < 380 || size.width < 560;
}

export function useBoxSize(box: Ref<HTMLElement | undefined>, fallback: BoxSize = { width: 640, height: 320 }): Ref<BoxSize> {
  const size = shallowRef<BoxSize>(fallback);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    const el = box.value;
    if (!el) return;
    const read = () => {
      const width = el.clientWidth;
      const height = el.clientHeight;
      if (width > 0 && height > 0 && (Math.abs(width - size.value.width) > 4 || Math.abs(height - size.value.height) > 4)) size.value = { width, height };
    };
    read();
    observer = new ResizeObserver(read);
    observer.observe(el);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return size;
}
