/**
 * Moves keyboard focus to a form field after Svelte has rendered, so a caregiver using the
 * keyboard or a screen reader lands on the field whose error they need to fix. A group of
 * radio buttons (a fieldset) focuses its chosen button, or its first.
 */
import { tick } from "svelte";

export async function focusField(id: string): Promise<void> {
  await tick();
  const element = document.getElementById(id);
  if (element instanceof HTMLFieldSetElement) {
    const target =
      element.querySelector<HTMLInputElement>("input:checked") ??
      element.querySelector<HTMLInputElement>("input");
    target?.focus();
  } else {
    element?.focus();
  }
}
