// Dry runs asked only for what is on screen: `armed` turns true once the element is in (or near)
// the viewport, or is hovered or focused (arm()). Until then, and until the dry runs answer, the
// buttons they guard stay disabled (CommonCheckedButton), so nothing looks usable before it is known.
import { onBeforeUnmount, onMounted, ref, useTemplateRef } from 'vue';

/** `refName`: the template ref (ref="…") of the element to watch. */
export function useArmedOnSight(refName: string) {
  const el = useTemplateRef<HTMLElement>(refName);
  const armed = ref(false);
  let observer: IntersectionObserver | undefined;
  onMounted(() => {
    if (!el.value) return;
    observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        armed.value = true;
        observer?.disconnect();
      },
      { rootMargin: '200px' },
    );
    observer.observe(el.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return {
    armed,
    arm: () => {
      armed.value = true;
    },
  };
}
