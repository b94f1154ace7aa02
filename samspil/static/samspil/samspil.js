// Samspil's small scripts. The content security policy allows no inline scripts and no eval,
// so behaviour that used to sit in templates (onclick=, hx-on, hx-vals="js:...") lives here,
// hooked to data attributes.

// "Add member" / "Add time slot": an htmx button with data-add-row fetches one more form row.
// The request carries the row's index (the formset's TOTAL_FORMS); afterwards the count goes up
// and the focus moves to the new row's first drop-down.
document.addEventListener("htmx:configRequest", (event) => {
  const button = event.detail.elt;
  if (!button.matches || !button.matches("[data-add-row]")) return;
  const total = document.getElementById(button.dataset.totalForms);
  if (total) event.detail.parameters.index = total.value;
});
document.addEventListener("htmx:afterRequest", (event) => {
  const button = event.detail.elt;
  if (!button.matches || !button.matches("[data-add-row]") || !event.detail.successful) return;
  const total = document.getElementById(button.dataset.totalForms);
  if (total) total.value = parseInt(total.value, 10) + 1;
  const rows = document.querySelectorAll(button.dataset.rows + " fieldset");
  const select = rows.length ? rows[rows.length - 1].querySelector("select") : null;
  if (select) select.focus();
});

// Public forms (form[data-once]): a second click while the first submission is on its way
// sends nothing (the server also answers a repeated submission with the first one's receipt).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
});
