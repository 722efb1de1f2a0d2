// Behaviour that pages declare with data- attributes instead of inline handlers, which the
// Content-Security-Policy refuses (script-src 'self'): one listener each, on the document, so
// that fragments swapped in by HTMX work too.

// data-confirm on a form or a button: ask first; "Cancel" sends nothing.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// data-submit-on-change on a filter's menu: the page follows the choice.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.submit();
  }
});
