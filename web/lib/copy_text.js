// Copying a text field's value for the reader: to the clipboard where the page may, else selected for Ctrl+C.

/** Copies `field`'s value and says so in `said` (a status element): "Copied.", or how to copy the selected text. */
export async function copyField(field, said) {
  try {
    await navigator.clipboard.writeText(field.value);
    said.textContent = "Copied.";
  } catch {
    // No clipboard here (an insecure page, or refused): the text is selected for the reader to copy.
    field.focus();
    field.select();
    said.textContent = "Selected: press Ctrl+C (or ⌘C) to copy.";
  }
}
