// The translation editor: "Insert" puts a memory suggestion into the translation at the
// cursor; an exact match inserted into an empty field is remembered as its origin, so that
// the server records it as a memory translation unless the translator changes it.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".use-suggestion");
  if (!button) return;
  const form = document.getElementById("editor");
  const area = form.querySelector("textarea[name=text]");
  const text = button.dataset.text;
  const wasEmpty = area.value.trim() === "";
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? area.value.length;
  const before = area.value.slice(0, start);
  const spacer = before && !/\s$/.test(before) ? " " : "";
  area.value = before + spacer + text + area.value.slice(end);
  area.focus();
  const engine = form.querySelector("input[name=suggested_engine]");
  const suggested = form.querySelector("input[name=suggested_text]");
  // Only exact matches, one after the other from an empty field, stay a memory translation.
  if (button.dataset.engine && (wasEmpty || engine.value === button.dataset.engine)) {
    engine.value = button.dataset.engine;
    suggested.value = area.value;
  } else {
    engine.value = "";
    suggested.value = "";
  }
});
